using Moq;
using SalesFlow.Core.Integration;

namespace SalesFlow.Tests.Integration;

public class ReactingIntegrationEventsTests
{
    private static readonly LeadEscalated Event = new("acme", "lead_1", DateTimeOffset.UnixEpoch, 3, "lead asked for a human");

    [Fact]
    public async Task EveryReactionSeesTheEventBeforeItIsPublished()
    {
        var order = new List<string>();
        var first = new Mock<IIntegrationEventReaction>();
        first.Setup(r => r.ReactAsync(Event, It.IsAny<CancellationToken>())).Callback(() => order.Add("first")).Returns(Task.CompletedTask);
        var second = new Mock<IIntegrationEventReaction>();
        second.Setup(r => r.ReactAsync(Event, It.IsAny<CancellationToken>())).Callback(() => order.Add("second")).Returns(Task.CompletedTask);
        var publisher = new Mock<IIntegrationEventPublisher>();
        publisher.Setup(p => p.PublishAsync(Event, It.IsAny<CancellationToken>())).Callback(() => order.Add("published")).Returns(Task.CompletedTask);

        await new ReactingIntegrationEvents([first.Object, second.Object], publisher.Object).PublishAsync(Event, default);

        Assert.Equal(["first", "second", "published"], order);
    }

    [Fact]
    public async Task AFailingReactionStarvesNeitherTheOthersNorThePublisherAndIsReported()
    {
        var failing = new Mock<IIntegrationEventReaction>();
        failing.Setup(r => r.ReactAsync(Event, It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("queue down"));
        var other = new Mock<IIntegrationEventReaction>();
        var publisher = new Mock<IIntegrationEventPublisher>();

        var error = await Assert.ThrowsAsync<AggregateException>(() => new ReactingIntegrationEvents([failing.Object, other.Object], publisher.Object).PublishAsync(Event, default));

        Assert.Contains("queue down", error.InnerExceptions.Single().Message, StringComparison.Ordinal);
        other.Verify(r => r.ReactAsync(Event, It.IsAny<CancellationToken>()), Times.Once);
        publisher.Verify(p => p.PublishAsync(Event, It.IsAny<CancellationToken>()), Times.Once);
    }
}

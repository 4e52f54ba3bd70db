using Moq;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Integration;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>
/// Where the turn publishes integration events (the rules brain on the real embedded stores; the port is a mock):
/// once per moment, with a key that is the same when the moment is seen again, and never at the cost of the turn.
/// </summary>
public sealed class IntegrationEventEmissionTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private List<IntegrationEvent> Published() =>
        [.. _bed.IntegrationEvents.Invocations.Where(i => i.Method.Name == nameof(IIntegrationEvents.PublishAsync)).Select(i => (IntegrationEvent)i.Arguments[0]!)];

    private async Task<string> TurnAsync(string text, string wamid)
    {
        var accepted = await _bed.Say(text, wamid);
        await _bed.Engine().ProcessLeadAsync("acme", accepted.LeadId, default);
        return accepted.LeadId;
    }

    [Fact]
    public async Task AStateChangeIsPublishedOnceWithItsStagesAndAKeyOfTheTurn()
    {
        var leadId = await TurnAsync("Hi, I'm interested in your product", "wamid.1");
        await _bed.Engine().ProcessLeadAsync("acme", leadId, default); // nothing new: nothing published

        var changed = Assert.IsType<LeadStateChanged>(Assert.Single(Published()));
        Assert.Equal(("acme", leadId, "initial_contact", "interest_qualification"), (changed.ClientId, changed.LeadId, changed.From, changed.To));
        Assert.Equal($"lead.state_changed/acme/{leadId}/{changed.ConversationId}/1", changed.IdempotencyKey);
    }

    [Fact]
    public async Task AnOptOutIsPublishedOnceAndAnEarlierOptOutIsNoNews()
    {
        await TurnAsync("Hi, I'm interested in your product", "wamid.1");
        var leadId = await TurnAsync("STOP", "wamid.2");
        await TurnAsync("STOP", "wamid.3");

        var optedOut = Assert.Single(Published().OfType<LeadOptedOut>());
        Assert.Equal($"lead.opted_out/acme/{leadId}/{optedOut.ThroughSeq}", optedOut.IdempotencyKey);
    }

    [Fact]
    public async Task AnEscalationIsPublishedWithItsReason()
    {
        await TurnAsync("I want to talk to a real person, not a bot", "wamid.1");
        await TurnAsync("Hello? Anyone there?", "wamid.2");

        Assert.Equal("lead asked for a human", Assert.Single(Published().OfType<LeadEscalated>()).Reason);
    }

    [Fact]
    public async Task ALeadIsPublishedHotOnceWhenItsStoredScoreTurnsHot()
    {
        var leadId = await TurnAsync("Hi there.", "wamid.1");
        Assert.Empty(Published().OfType<LeadBecameHot>());
        Assert.NotEqual("hot", (await _bed.Scores.GetAsync("acme", leadId, default))!.Score.Temperature);

        await TurnAsync("My name is Anna Meyer, I'm the CEO of a bakery. We need a faster ordering system, our budget is 5,000 €.", "wamid.2");
        await TurnAsync("We want it by the end of next month. Can you send details and a comparison?", "wamid.3");
        await TurnAsync("Great, thanks.", "wamid.4");

        var hot = Assert.Single(Published().OfType<LeadBecameHot>());
        var stored = (await _bed.Scores.GetAsync("acme", leadId, default))!;
        Assert.Equal("hot", stored.Score.Temperature);
        Assert.True(hot.Score >= 0.6);
    }

    [Fact]
    public async Task ABrokerThatFailsDoesNotBreakTheTurn()
    {
        _bed.IntegrationEvents.Setup(e => e.PublishAsync(It.IsAny<IntegrationEvent>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("broker unreachable"));
        var accepted = await _bed.Say("STOP", "wamid.1");

        var turn = await _bed.Engine().ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.NotNull(turn?.Reply);
        Assert.True((await _bed.Leads.GetAsync("acme", accepted.LeadId, default))!.OptedOut);
        Assert.Contains(Published(), e => e is LeadOptedOut);
    }
}

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Tests.Delivery;

/// <summary>The send rate limits on a fake clock: no real time passes and nothing is timed.</summary>
public sealed class DeliveryRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    private static OutboxItem To(string recipient, string clientId = "acme", ChannelKind channel = ChannelKind.WhatsApp) => new()
    {
        Id = "out_" + Guid.NewGuid().ToString("N"),
        ClientId = clientId,
        LeadId = "lead_1",
        ConversationId = "conv_1",
        Channel = channel,
        Recipient = recipient,
        Text = "hi",
        IdempotencyKey = Guid.NewGuid().ToString("N"),
    };

    private DeliveryRateLimiter Limiter(int perSecond = 80, double recipientSeconds = 6) =>
        new(Options.Create(new DeliveryOptions { PerSenderPerSecond = perSecond, PerRecipientInterval = TimeSpan.FromSeconds(recipientSeconds) }), _clock);

    [Fact]
    public void OneSenderGetsEightyPermitsASecondThenWaitsForTheNextAndOtherClientsAndChannelsAreApart()
    {
        using var limiter = Limiter();

        var granted = Enumerable.Range(0, 80).Count(i => limiter.TryAcquire(To($"+4917000000{i:D2}")).Acquired);
        var (over, wait) = limiter.TryAcquire(To("+491709999999"));

        Assert.Equal(80, granted);
        Assert.False(over);
        Assert.InRange(wait, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1.0 / 80));
        Assert.True(limiter.TryAcquire(To("+491709999999", clientId: "globex")).Acquired);
        Assert.True(limiter.TryAcquire(To("+491709999999", channel: ChannelKind.Sms)).Acquired);

        _clock.Advance(wait);
        Assert.True(limiter.TryAcquire(To("+491709999998")).Acquired);
    }

    [Fact]
    public void ARecipientGetsOneMessageEveryIntervalAndAWaitingMessageDoesNotSpendTheSendersPermits()
    {
        using var limiter = Limiter(perSecond: 2);

        Assert.True(limiter.TryAcquire(To("+491701111111")).Acquired);
        var (second, wait) = limiter.TryAcquire(To("+491701111111"));
        var (third, _) = limiter.TryAcquire(To("+491701111111"));

        Assert.False(second);
        Assert.False(third);
        Assert.Equal(TimeSpan.FromSeconds(6), wait);
        Assert.True(limiter.TryAcquire(To("+491702222222")).Acquired); // the sender's second permit was not spent by the refusals

        _clock.Advance(TimeSpan.FromSeconds(5.9));
        Assert.False(limiter.TryAcquire(To("+491701111111")).Acquired);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(limiter.TryAcquire(To("+491701111111")).Acquired);
    }
}

using SalesFlow.Tests.Support;
using Xunit.Abstractions;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// Issue 16: kill -9 of the real process at a seeded random moment of the follow-up sweep (every :00 and :30 UTC) and of
/// the follow-ups' sends that follow it, restart on the same data folder: each due follow-up is sent exactly once, none
/// lost, none doubled. FollowUps:ClaimLease at its minimum brings a step the kill cut off back within a sweep.
/// A round takes one sweep (30 s); SALESFLOW_FAULT_ROUNDS runs more.
/// </summary>
public sealed class KillNineFollowUpRoundsOverHttpTests(ITestOutputHelper output)
{
    private const int LeadsPerRound = 10;

    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, int> OneReplyAndOneFollowUpEach = new() { ["reply"] = 1, ["follow_up"] = 1 };

    /// <summary>The standalone follow-up sweep's next run (TimerSchedules.FollowUps: every :00 and :30) after <paramref name="at"/>.</summary>
    private static DateTimeOffset NextSweepAfter(DateTimeOffset at) =>
        new DateTimeOffset(at.Ticks - at.Ticks % SweepEvery.Ticks, TimeSpan.Zero) + SweepEvery;

    private static async Task WaitUntilAsync(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    [Fact]
    public async Task KilledDuringTheFollowUpSweepAndItsSendsEachDueFollowUpIsSentExactlyOnce()
    {
        await using var rounds = await KillRounds.StartAsync(new()
        {
            ["FollowUps__Cadence"] = "PT1S",
            ["FollowUps__QuietFrom"] = "00:00",
            ["FollowUps__QuietUntil"] = "00:00",
            ["FollowUps__ClaimLease"] = "00:00:05",
        });
        // A slow vendor keeps the sweep's sends in flight for about a second and a half after it.
        rounds.Graph.SuccessDelay = TimeSpan.FromMilliseconds(300);
        var atKills = new List<string>();
        for (var round = 1; round <= KillRounds.Rounds(1); round++)
        {
            var webhooks = rounds.NewWebhooks(LeadsPerRound, $"Hi, round {round}: I'm interested in your product.");
            var posting = rounds.PostAsync(webhooks, spreadMs: 0);
            await posting;
            var recipients = webhooks.Select(w => "+" + w.WaId).ToHashSet();
            await Eventually.ReturnsAsync(
                rounds.OutboxAsync,
                items => items.Count(i => recipients.Contains(i.Str("recipient")) && i.Str("purpose") == "reply" && i.Str("status") == "sent") == webhooks.Count,
                TimeSpan.FromSeconds(60),
                "the round's replies are sent");

            // Their follow-ups are due a second after the last reply: the first sweep after that runs them all.
            var sweep = NextSweepAfter(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.2));
            await WaitUntilAsync(sweep);
            await Task.Delay(rounds.Random.Next(0, 1500));
            var followUps = (await rounds.OutboxAsync()).Where(i => recipients.Contains(i.Str("recipient")) && i.Str("purpose") == "follow_up").ToArray();
            atKills.Add($"{followUps.Length} written/{followUps.Count(f => f.Str("status") == "sent")} sent");
            await rounds.KillAndRestartAsync(posting);
        }

        output.WriteLine($"follow-up: the round's follow-ups at each kill (of {LeadsPerRound}): {string.Join(", ", atKills)}");

        // The next sweep (30 s) runs what the kill left due or claimed (the claim's 5 s lease is over by then).
        output.WriteLine($"follow-up: seed {rounds.Seed}");
        output.WriteLine("follow-up: " + await rounds.AssertSettledExactlyOnceAsync(OneReplyAndOneFollowUpEach, TimeSpan.FromSeconds(100)));
    }
}

using SalesFlow.Tests.Support;
using Xunit.Abstractions;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// Issue 16: kill -9 of the real process at seeded random moments of each phase of the message loop (webhooks arriving,
/// turns running, the vendor holding sends), restart on the same data folder, Meta's redelivery of what was not
/// answered 200: every acknowledged message is answered exactly once and no outbox id reaches the vendor twice.
/// SALESFLOW_FAULT_ROUNDS runs more rounds, SALESFLOW_FAULT_SEED repeats a run (the seed is printed).
/// </summary>
public sealed class KillNineRoundsOverHttpTests(ITestOutputHelper output)
{
    private const int LeadsPerRound = 10;

    private static readonly Dictionary<string, int> OneReplyEach = new() { ["reply"] = 1 };

    private async Task AssertEveryLeadAnsweredOnceAsync(KillRounds rounds, string phase)
    {
        output.WriteLine($"{phase}: seed {rounds.Seed}");
        output.WriteLine($"{phase}: " + await rounds.AssertSettledExactlyOnceAsync(OneReplyEach, TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public async Task KilledWhileWebhooksArriveEveryAcknowledgedMessageIsAnsweredOnce()
    {
        await using var rounds = await KillRounds.StartAsync([]);
        for (var round = 1; round <= KillRounds.Rounds(2); round++)
        {
            // The kill falls inside the arrivals: some are stored and acknowledged, some cut off mid-request, some find no app.
            var posting = rounds.PostAsync(rounds.NewWebhooks(LeadsPerRound, $"Hi, round {round}: what does your CRM cost?"), spreadMs: 800);
            await Task.Delay(rounds.Random.Next(0, 800));
            await rounds.KillAndRestartAsync(posting);
        }

        await AssertEveryLeadAnsweredOnceAsync(rounds, "intake");
    }

    [Fact]
    public async Task KilledWhileTurnsRunEveryAcknowledgedMessageIsAnsweredOnce()
    {
        await using var rounds = await KillRounds.StartAsync([]);
        var answeredAtKills = new List<int>();
        for (var round = 1; round <= KillRounds.Rounds(2); round++)
        {
            // All acknowledged; the kill falls once process-inbound has written the round's first reply, while it works through the rest.
            var webhooks = rounds.NewWebhooks(LeadsPerRound, $"Hi, round {round}: do you have a plan for small teams?");
            var posting = rounds.PostAsync(webhooks, spreadMs: 0);
            await posting;
            Assert.Equal(rounds.Leads.Count(), rounds.Acknowledged);
            var recipients = webhooks.Select(w => "+" + w.WaId).ToHashSet();
            await Eventually.ReturnsAsync(rounds.OutboxAsync, i => i.Any(x => recipients.Contains(x.Str("recipient"))), TimeSpan.FromSeconds(30), "the round's first reply is written");
            await Task.Delay(rounds.Random.Next(0, 300));
            answeredAtKills.Add((await rounds.OutboxAsync()).Count(i => recipients.Contains(i.Str("recipient"))));
            await rounds.KillAndRestartAsync(posting);
        }

        output.WriteLine($"turn: replies written at each kill (of {LeadsPerRound}): {string.Join(", ", answeredAtKills)}");

        await AssertEveryLeadAnsweredOnceAsync(rounds, "turn");
    }

    [Fact]
    public async Task KilledWhileTheVendorHoldsSendsNoReplyIsSentTwiceOrLost()
    {
        await using var rounds = await KillRounds.StartAsync([]);
        // A slow vendor: the kill cuts sends off after the vendor has them (the case that must never be resent).
        rounds.Graph.SuccessDelay = TimeSpan.FromMilliseconds(400);
        for (var round = 1; round <= KillRounds.Rounds(2); round++)
        {
            var sendsBefore = rounds.Graph.Sends.Count;
            var posting = rounds.PostAsync(rounds.NewWebhooks(LeadsPerRound, $"Hi, round {round}: can I book a demo?"), spreadMs: 0);
            await Eventually.ReturnsAsync(() => Task.FromResult(rounds.Graph.Sends.Count), n => n > sendsBefore, TimeSpan.FromSeconds(30), "the first reply of the round reaches the vendor");
            await Task.Delay(rounds.Random.Next(0, 1500));
            await rounds.KillAndRestartAsync(posting);
        }

        await AssertEveryLeadAnsweredOnceAsync(rounds, "delivery");
    }
}

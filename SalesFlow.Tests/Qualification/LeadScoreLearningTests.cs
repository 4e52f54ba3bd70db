using Microsoft.Extensions.Logging.Abstractions;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Qualification;

/// <summary>The stored score: refreshed by the turn, decayed by the timer, learnt from outcomes once there are enough.</summary>
public sealed class LeadScoreLearningTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    private SqliteLeadScoreModelStore Models => new(_bed.Temp.Db);

    private SqliteLeadOutcomeStore Outcomes => new(_bed.Temp.Db);

    private LeadScoreRefresher Refresher() =>
        new(_bed.Leads, _bed.Conversations, _bed.Profiles, _bed.Scores, Models, _bed.IntegrationEvents.Object, _bed.Clock, NullLogger<LeadScoreRefresher>.Instance);

    private LeadScoreLearner Learner() => new(Outcomes, _bed.Scores, Models, _bed.Clock, NullLogger<LeadScoreLearner>.Instance);

    private LeadScoreSweeper Sweeper() => new(_bed.Scores, Refresher(), Learner(), _bed.Clock, NullLogger<LeadScoreSweeper>.Instance);

    [Fact]
    public void Fitting_recovers_the_signs_of_planted_weights()
    {
        // Synthetic leads whose won/lost labels are drawn from a known logistic model; the fit must find its directions.
        var planted = new Dictionary<string, double> { ["bant"] = 4, ["engagement"] = 0, ["responseSpeed"] = 0, ["sentiment"] = -3, ["stage"] = 3, ["recency"] = -2 };
        var random = new Random(20261204);
        List<(IReadOnlyDictionary<string, double> X, bool Won)> samples = [];
        for (var i = 0; i < 600; i++)
        {
            var x = planted.Keys.ToDictionary(k => k, k => k == "sentiment" ? (random.NextDouble() * 2) - 1 : random.NextDouble());
            var z = -1.5 + planted.Sum(p => p.Value * x[p.Key]);
            samples.Add((x, random.NextDouble() < 1 / (1 + Math.Exp(-z))));
        }

        var (weights, _) = LogisticFit.Fit(samples);

        Assert.True(weights["bant"] > 0, $"bant {weights["bant"]}");
        Assert.True(weights["stage"] > 0, $"stage {weights["stage"]}");
        Assert.True(weights["sentiment"] < 0, $"sentiment {weights["sentiment"]}");
        Assert.True(weights["recency"] < 0, $"recency {weights["recency"]}");
        // The features that play no part get less weight than those that do.
        Assert.True(Math.Abs(weights["engagement"]) < weights["bant"] && Math.Abs(weights["responseSpeed"]) < weights["stage"], string.Join(", ", weights));
    }

    [Fact]
    public void Learnt_weights_need_twenty_outcomes_with_five_of_each()
    {
        Assert.True(LogisticFit.Enough(15, 5));
        Assert.False(LogisticFit.Enough(16, 4));
        Assert.False(LogisticFit.Enough(10, 9));
    }

    [Fact]
    public async Task A_turn_stores_the_score_and_the_timer_decays_a_silent_lead()
    {
        var accepted = await _bed.Say("Hi, I'm the CEO. We need a faster ordering system, our budget is 5,000 €.", "wamid.1");
        await _bed.Engine().ProcessLeadAsync("acme", accepted.LeadId, default);
        var afterTurn = (await _bed.Scores.GetAsync("acme", accepted.LeadId, default))!;
        Assert.Equal(_bed.Clock.GetUtcNow(), afterTurn.ComputedAt);
        Assert.NotNull(afterTurn.State);
        Assert.Equal(LeadScoreSnapshot.Prior, afterTurn.Model);

        _bed.Clock.Advance(TimeSpan.FromDays(14));
        Assert.Equal(1, await Sweeper().SweepAsync(default));

        var decayed = (await _bed.Scores.GetAsync("acme", accepted.LeadId, default))!;
        Assert.True(decayed.Score.Probability < afterTurn.Score.Probability, $"{decayed.Score.Probability} < {afterTurn.Score.Probability}");
        Assert.Equal(0.25, decayed.Score.Terms.Single(t => t.Feature == "recency").Scaled, 2);
        Assert.Equal(0, await Sweeper().SweepAsync(default)); // fresh again: nothing to do until it is stale
    }

    [Fact]
    public async Task Enough_outcomes_make_the_score_learnt_and_say_on_how_many()
    {
        var now = _bed.Clock.GetUtcNow();
        for (var i = 0; i < 24; i++)
        {
            var won = i % 2 == 0;
            var lead = await NewLeadAsync($"+4917000000{i:D2}");
            var features = new LeadScoreFeatures(won ? 0.8 : 0.1, won ? 8 : 1, 30, won ? 0.5 : -0.3, won ? ConversationState.ClosingAttempt : ConversationState.InitialContact, won ? 1 : 20);
            await _bed.Scores.SaveAsync(LeadScoreStoreContractTestsSnapshot(lead.Id, features, now), default);
            await Outcomes.SetAsync(new LeadOutcome("acme", lead.Id, won ? LeadOutcomes.Won : LeadOutcomes.Lost, null, null, "api", now), default);
        }

        var model = (await Learner().RefitIfChangedAsync("acme", default))!;
        Assert.Equal((24, 12), (model.Outcomes, model.Won));
        Assert.True(model.Weights["bant"] > 0);
        Assert.Equal(now, model.FittedAt);
        _bed.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(now, (await Learner().RefitIfChangedAsync("acme", default))!.FittedAt); // no new outcome: no refit

        var scored = (await Refresher().RefreshAsync("acme", (await NewLeadAsync("+491709999999")).Id, default))!;
        Assert.Equal((LeadScoreSnapshot.Learnt, 24), (scored.Model, scored.ModelOutcomes));
        Assert.Equal(model.Weights["bant"], scored.Score.Terms.Single(t => t.Feature == "bant").Weight);
    }

    [Fact]
    public async Task Too_few_outcomes_keep_the_priors()
    {
        var lead = await NewLeadAsync("+491708888888");
        await _bed.Scores.SaveAsync(LeadScoreStoreContractTestsSnapshot(lead.Id, new LeadScoreFeatures(0.5, 2, null, 0, null, 1), _bed.Clock.GetUtcNow()), default);
        await Outcomes.SetAsync(new LeadOutcome("acme", lead.Id, LeadOutcomes.Won, null, null, "api", _bed.Clock.GetUtcNow()), default);

        Assert.Null(await Learner().RefitIfChangedAsync("acme", default));
        Assert.Equal(LeadScoreSnapshot.Prior, (await Refresher().RefreshAsync("acme", lead.Id, default))!.Model);
    }

    [Fact]
    public void A_reps_DISC_is_kept_over_later_turns()
    {
        var rep = DiscReading.SetByRep(DiscProfile.Empty, "S", "calm, asks about support");
        var after = LeadProfileMerger.Merge(rep, new DiscSignals(0.6, 0, 0, 0));

        Assert.Equal(rep, after);
        Assert.Equal(("S", 1.0, "rep"), (after.Primary, after.Confidence, after.SetBy));
    }

    [Fact]
    public void Analysis_reads_each_of_the_leads_messages_and_names_the_signals()
    {
        Message In(long seq, string text) => new() { Id = $"m{seq}", ClientId = "acme", ConversationId = "c", LeadId = "l", Seq = seq, Direction = MessageDirection.Inbound, Text = text, CreatedAt = _bed.Clock.GetUtcNow().AddMinutes(seq) };
        var reading = DiscReading.Analyze([In(1, "What exactly is included? What are the specifications?"), In(2, "Thanks, I will read it later today in the evening."), In(3, "Can you send the detailed data sheet? Which standards does it meet?")]);

        Assert.Equal("C", reading.Primary);
        Assert.Null(reading.SetBy);
        Assert.Equal(2, reading.Samples); // the message without a style is no sample
        Assert.Contains(reading.Signals!, s => s.StartsWith("C", StringComparison.Ordinal) && s.Contains("data sheet", StringComparison.Ordinal));
    }

    [Fact]
    public void Advice_follows_the_style_and_the_leads_language()
    {
        Assert.Equal(("D", "en", "fast"), (DiscAdvisor.For("D", german: false).Primary, DiscAdvisor.For("D", false).Language, DiscAdvisor.For("D", false).Pace));
        Assert.Equal("de", DiscAdvisor.For("C", german: true).Language);
        Assert.Null(DiscAdvisor.For(null, german: false).Primary);
        Assert.NotEmpty(DiscAdvisor.For("I", german: true).Dont);
    }

    private async Task<Lead> NewLeadAsync(string phone) =>
        (await _bed.Leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, phone, () => new Lead { Id = Core.Common.Ids.New("lead"), ClientId = "acme", CreatedAt = _bed.Clock.GetUtcNow(), UpdatedAt = _bed.Clock.GetUtcNow() }, default)).Lead;

    private static LeadScoreSnapshot LeadScoreStoreContractTestsSnapshot(string leadId, LeadScoreFeatures features, DateTimeOffset at) =>
        new("acme", leadId, LeadScore.Compute(features), features, LeadScoreSnapshot.Prior, 0, at, null, null, null, null, [], null, null, false, false, at, at);
}

using SalesFlow.Core.Clients;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Recommendations;

namespace SalesFlow.Tests.Recommendations;

/// <summary>Which score the planner reads: the one just stored after a turn, else the priors on the loaded features.</summary>
public sealed class RecommendationInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly Client Acme = new("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"));
    private static readonly Lead Lead = new() { Id = "lead-1", ClientId = "acme", CreatedAt = Now.AddDays(-1), UpdatedAt = Now };

    [Fact]
    public void The_score_stored_after_the_turn_is_the_one_planned_with()
    {
        var learnt = new LeadScoreResult("hot", 80, 0.91, -1, []);

        var input = RecommendationService.Input(Acme, Lead, null, null, [], learnt, false, null, Now);

        Assert.Same(learnt, input.Score);
    }

    [Fact]
    public void Without_a_stored_score_the_priors_score_the_loaded_features()
    {
        var input = RecommendationService.Input(Acme, Lead, null, null, [], null, false, null, Now);

        Assert.Equal(LeadScore.Compute(LeadScoreReader.Features(null, null, [], Lead.CreatedAt, Now)), input.Score, new ScoreComparer());
    }

    private sealed class ScoreComparer : IEqualityComparer<LeadScoreResult>
    {
        public bool Equals(LeadScoreResult? x, LeadScoreResult? y) => x?.Probability == y?.Probability && x?.Temperature == y?.Temperature;

        public int GetHashCode(LeadScoreResult obj) => obj.Probability.GetHashCode();
    }
}

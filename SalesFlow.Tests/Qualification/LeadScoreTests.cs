using SalesFlow.Core.Conversations;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Tests.Qualification;

public sealed class LeadScoreTests
{
    private static readonly LeadScoreFeatures Fresh = new(0, 0, null, 0, null, 0);

    private static readonly LeadScoreFeatures Qualified = new(0.9, 8, 5, 0.6, ConversationState.ClosingAttempt, 0.1);

    [Fact]
    public void A_new_silent_lead_is_cold_and_a_qualified_engaged_lead_in_closing_is_hot()
    {
        var cold = LeadScore.Compute(Fresh);
        var hot = LeadScore.Compute(Qualified);

        Assert.Equal("cold", cold.Temperature);
        Assert.Equal("hot", hot.Temperature);
        Assert.True(hot.Probability > 0.6 && cold.Probability < 0.3, $"{hot.Probability} / {cold.Probability}");
        Assert.InRange(hot.Health, 70, 100);
        Assert.InRange(cold.Health, 0, 50);
    }

    [Fact]
    public void The_probability_is_the_logistic_of_the_bias_plus_the_shown_contributions()
    {
        var score = LeadScore.Compute(Qualified);

        var z = score.Bias + score.Terms.Sum(t => t.Weight * t.Scaled);
        Assert.Equal(Math.Round(1 / (1 + Math.Exp(-z)), 3), score.Probability, 2);
        Assert.Equal(["bant", "engagement", "responseSpeed", "sentiment", "stage", "recency"], score.Terms.Select(t => t.Feature));
        Assert.All(score.Terms, t => Assert.Equal(LeadScore.PriorWeights[t.Feature], t.Weight));
    }

    [Fact]
    public void Silence_decays_the_score_and_a_slow_answer_counts_less_than_a_quick_one()
    {
        var today = LeadScore.Compute(Qualified);
        var monthLater = LeadScore.Compute(Qualified with { DaysSinceActivity = 30 });
        var slow = LeadScore.Compute(Qualified with { ResponseLatencyMinutes = 2 * 24 * 60 });

        Assert.True(monthLater.Probability < today.Probability);
        Assert.True(monthLater.Health < today.Health);
        Assert.True(slow.Probability < today.Probability);
    }

    [Fact]
    public void Out_of_range_inputs_are_clamped_not_propagated()
    {
        var score = LeadScore.Compute(new LeadScoreFeatures(7, -3, -10, -5, ConversationState.InitialContact, -2));

        Assert.InRange(score.Probability, 0, 1);
        Assert.InRange(score.Health, 0, 100);
        Assert.Equal(1, score.Terms.Single(t => t.Feature == "bant").Scaled);
        Assert.Equal(-1, score.Terms.Single(t => t.Feature == "sentiment").Scaled);
    }

    [Fact]
    public void Response_latency_is_the_median_gap_from_our_message_to_the_leads_next_one()
    {
        var t0 = new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);
        Message M(MessageDirection d, int minutes) => new() { Id = $"m{minutes}", ClientId = "c", LeadId = "l", ConversationId = "cv", Direction = d, CreatedAt = t0.AddMinutes(minutes) };
        List<Message> messages =
        [
            M(MessageDirection.Inbound, 0),
            M(MessageDirection.Outbound, 1), M(MessageDirection.Outbound, 2), M(MessageDirection.Inbound, 11), // 10 min from our first
            M(MessageDirection.Outbound, 12), M(MessageDirection.Inbound, 72), // 60
            M(MessageDirection.Outbound, 73), M(MessageDirection.Inbound, 78), // 5
            M(MessageDirection.Outbound, 80), // unanswered yet
        ];

        Assert.Equal(10, LeadScoreReader.MedianLatencyMinutes(messages));
        Assert.Null(LeadScoreReader.MedianLatencyMinutes([M(MessageDirection.Inbound, 0), M(MessageDirection.Outbound, 1)]));
        Assert.Equal(4, LeadScoreReader.Features(null, null, messages, t0, t0.AddDays(1)).LeadMessages);
    }
}

namespace SalesFlow.Core.Recommendations;

/// <summary>How the client's own feedback on one kind moves its priorities: shown with the counts it comes from.</summary>
public sealed record KindFeedback(string Kind, int Positive, int Dismissed, int Adjustment);

/// <summary>
/// The client's recent accept/dismiss decisions per kind. A kind its reps mostly act on rises, one they mostly dismiss
/// falls, by at most <see cref="MaxAdjustment"/> points, reached only with <see cref="FullWeightAt"/> decisions (a few
/// clicks move it a little); below <see cref="MinDecisions"/> nothing moves.
/// </summary>
public sealed class FeedbackAdjustments
{
    public const int MaxAdjustment = 20;
    public const int MinDecisions = 3;
    public const int FullWeightAt = 10;

    private readonly Dictionary<string, KindFeedback> _byKind;

    private FeedbackAdjustments(Dictionary<string, KindFeedback> byKind) => _byKind = byKind;

    public static FeedbackAdjustments None { get; } = new([]);

    /// <param name="decisions">(kind, status) of decided recommendations; open and expired ones are ignored.</param>
    public static FeedbackAdjustments From(IEnumerable<(string Kind, string Status)> decisions)
    {
        var byKind = new Dictionary<string, KindFeedback>();
        foreach (var group in decisions.Where(d => d.Status is RecommendationStatuses.Accepted or RecommendationStatuses.Done or RecommendationStatuses.Dismissed).GroupBy(d => d.Kind))
        {
            var positive = group.Count(d => RecommendationStatuses.IsPositive(d.Status));
            var dismissed = group.Count() - positive;
            byKind[group.Key] = new KindFeedback(group.Key, positive, dismissed, Adjustment(positive, dismissed));
        }

        return new FeedbackAdjustments(byKind);
    }

    public static int Adjustment(int positive, int dismissed)
    {
        var n = positive + dismissed;
        if (n < MinDecisions)
        {
            return 0;
        }

        var rate = (double)positive / n;
        return (int)Math.Round((rate - 0.5) * 2 * MaxAdjustment * Math.Min(1.0, (double)n / FullWeightAt), MidpointRounding.AwayFromZero);
    }

    public KindFeedback For(string kind) => _byKind.GetValueOrDefault(kind) ?? new KindFeedback(kind, 0, 0, 0);
}

/// <summary>A recommendation's priority now: its base, decayed by age (halving every half-life), plus the feedback adjustment.</summary>
public sealed record RecommendationPriority(int Base, int Decayed, int FeedbackAdjustment, int Effective)
{
    public static RecommendationPriority Of(Recommendation r, FeedbackAdjustments feedback, DateTimeOffset now)
    {
        var ageHours = Math.Max(0, (now - r.CreatedAt).TotalHours);
        var factor = r.HalfLifeHours > 0 ? Math.Pow(0.5, ageHours / r.HalfLifeHours) : 1;
        var decayed = (int)Math.Round(r.BasePriority * factor, MidpointRounding.AwayFromZero);
        var adjustment = feedback.For(r.Kind).Adjustment;
        return new RecommendationPriority(r.BasePriority, decayed, adjustment, Math.Clamp(decayed + adjustment, 0, 100));
    }
}

using SalesFlow.Core.Brain;

namespace SalesFlow.Core.Qualification;

/// <summary>
/// Folds one turn's <see cref="LeadInsights"/> into a <see cref="LeadProfile"/>. Pure, so the store's ETag retry can
/// re-apply it to a fresher copy. BANT scores only rise, and one a rep set stays as set (a criterion once shown stays shown; a later "no budget" is an
/// objection, which the state machine handles); DISC is a running mean, so one odd message cannot flip the style.
/// </summary>
public static class LeadProfileMerger
{
    public const int MaxEvidence = 3;
    public const int MaxPainPoints = 10;
    public const int MaxFactLength = 200;

    /// <summary>Weight of the newest turn in the sentiment trend.</summary>
    public const double SentimentWeight = 0.5;

    public static LeadProfile Merge(LeadProfile profile, LeadInsights insights, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(insights);
        var analysis = insights.Analysis;
        return profile with
        {
            Bant = new BantAssessment(
                Merge(profile.Bant.Budget, insights.Bant.Budget),
                Merge(profile.Bant.Authority, insights.Bant.Authority),
                Merge(profile.Bant.Need, insights.Bant.Need),
                Merge(profile.Bant.Timeline, insights.Bant.Timeline)),
            Disc = Merge(profile.Disc, insights.Disc),
            Facts = Merge(profile.Facts, insights.Facts),
            Sentiment = new SentimentSnapshot(
                analysis.Sentiment.ToWire(),
                Round(analysis.SentimentScore),
                Round(profile.Turns == 0 ? analysis.SentimentScore : (SentimentWeight * analysis.SentimentScore) + ((1 - SentimentWeight) * profile.Sentiment.Trend)),
                now),
            Turns = profile.Turns + 1,
            LastSource = insights.Source,
            UpdatedAt = now,
        };
    }

    private static BantDimension Merge(BantDimension current, BantSignal signal)
    {
        if (current.SetBy is not null)
        {
            return current; // a rep's judgement outranks what a turn reads
        }

        var score = Math.Clamp(signal.Score, 0, 1);
        var evidence = current.Evidence;
        if (Clean(signal.Evidence) is { } said && !evidence.Contains(said, StringComparer.OrdinalIgnoreCase))
        {
            evidence = [said, .. evidence.Take(MaxEvidence - 1)];
        }

        return new BantDimension(Round(Math.Max(current.Score, score)), evidence);
    }

    /// <summary>One turn's DISC signals folded into the running mean; a rep-set reading stays as set.</summary>
    public static DiscProfile Merge(DiscProfile current, DiscSignals signals)
    {
        if (current.SetBy is not null)
        {
            return current;
        }

        double[] next = [Unit(signals.Dominance), Unit(signals.Influence), Unit(signals.Steadiness), Unit(signals.Conscientiousness)];
        if (next.Sum() <= 0)
        {
            return current; // this turn showed no style: it neither confirms nor dilutes the reading
        }

        var n = current.Samples;
        double Mean(double old, double add) => Round(((old * n) + add) / (n + 1));
        var merged = new[] { Mean(current.Dominance, next[0]), Mean(current.Influence, next[1]), Mean(current.Steadiness, next[2]), Mean(current.Conscientiousness, next[3]) };
        var ordered = merged.OrderDescending().ToArray();
        var samples = n + 1;
        var confidence = samples / (samples + 2.0) * Math.Clamp(0.5 + (ordered[0] - ordered[1]), 0, 1);
        return new DiscProfile(merged[0], merged[1], merged[2], merged[3], samples, Round(confidence), null, DiscReading.WithSignal(current.Signals, next, signals.Said));
    }

    private static ProfileFacts Merge(ProfileFacts current, KeyFacts facts)
    {
        var pains = current.PainPoints.ToList();
        foreach (var pain in facts.PainPoints.Select(Clean).OfType<string>())
        {
            if (!pains.Contains(pain, StringComparer.OrdinalIgnoreCase))
            {
                pains.Add(pain);
            }
        }

        return new ProfileFacts(
            Clean(facts.Name) ?? current.Name,
            Clean(facts.Company) ?? current.Company,
            Clean(facts.Role) ?? current.Role,
            Clean(facts.Budget) ?? current.Budget,
            Clean(facts.Timeline) ?? current.Timeline,
            pains.TakeLast(MaxPainPoints).ToList(),
            Clean(facts.Email) ?? current.Email);
    }

    private static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return trimmed.Length <= MaxFactLength ? trimmed : trimmed[..MaxFactLength];
    }

    private static double Unit(double value) => double.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0;

    private static double Round(double value) => Math.Round(value, 3);
}

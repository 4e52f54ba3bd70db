namespace SalesFlow.Core.Qualification;

/// <summary>One BANT criterion: how strongly the lead has shown it (0 … 1) and the lead's own words that show it, newest first.</summary>
/// <param name="SetBy">Null when read from the conversation; "rep" when a person set it (a later turn then leaves it alone).</param>
public sealed record BantDimension(double Score, IReadOnlyList<string> Evidence, string? SetBy = null)
{
    public const string Rep = "rep";

    public static BantDimension Empty { get; } = new(0, []);
}

/// <summary>Budget, authority, need and timeline as read over every turn so far.</summary>
public sealed record BantAssessment(BantDimension Budget, BantDimension Authority, BantDimension Need, BantDimension Timeline)
{
    public static BantAssessment Empty { get; } = new(BantDimension.Empty, BantDimension.Empty, BantDimension.Empty, BantDimension.Empty);

    /// <summary>Mean of the four scores, 0 … 1.</summary>
    public double Overall => (Budget.Score + Authority.Score + Need.Score + Timeline.Score) / 4;

    /// <summary>
    /// BANT's own band (hot ≥ 0.6, warm ≥ 0.3, cold): what the CRM property and the brain's context show of BANT. The
    /// lead's temperature (lead list, LeadBecameHot, score API) is the stored score's, <see cref="LeadScoreSnapshot"/>.
    /// </summary>
    public string Temperature => Overall >= 0.6 ? "hot" : Overall >= 0.3 ? "warm" : "cold";
}

/// <summary>DISC style as a running mean over the turns that showed any style, with how sure that reading is.</summary>
/// <param name="Samples">Turns that contributed.</param>
/// <param name="Confidence">0 … 1: grows with samples and with how clearly one style leads.</param>
/// <param name="SetBy">Null when read from the conversation; "rep" when a person set it (turns and re-analysis then leave it alone).</param>
/// <param name="Signals">What the reading rests on (the lead's words per style, or the rep's note), newest first; null before any analysis.</param>
public sealed record DiscProfile(double Dominance, double Influence, double Steadiness, double Conscientiousness, int Samples, double Confidence, string? SetBy = null, IReadOnlyList<string>? Signals = null)
{
    public static DiscProfile Empty { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>"D", "I", "S" or "C" once one style leads with some confidence; null before.</summary>
    public string? Primary
    {
        get
        {
            var styles = new (string Style, double Score)[] { ("D", Dominance), ("I", Influence), ("S", Steadiness), ("C", Conscientiousness) };
            var top = styles.MaxBy(s => s.Score);
            return (Samples > 0 || SetBy is not null) && top.Score >= 0.4 && Confidence >= 0.3 ? top.Style : null;
        }
    }
}

/// <summary>What the lead told us about themselves; later statements win, pain points accumulate.</summary>
public sealed record ProfileFacts(string? Name, string? Company, string? Role, string? Budget, string? Timeline, IReadOnlyList<string> PainPoints, string? Email)
{
    public static ProfileFacts Empty { get; } = new(null, null, null, null, null, [], null);
}

/// <summary>The mood of the latest turn and a smoothed trend (exponential mean, newer turns weigh more).</summary>
public sealed record SentimentSnapshot(string Label, double Latest, double Trend, DateTimeOffset? At)
{
    public static SentimentSnapshot Empty { get; } = new("neutral", 0, 0, null);
}

/// <summary>
/// Everything SalesFlow has learned about a lead, merged turn by turn from the brain's insights. One per lead,
/// changed only by ETag-guarded writes (an empty <see cref="ETag"/> means "not stored yet").
/// </summary>
public sealed record LeadProfile
{
    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    public BantAssessment Bant { get; init; } = BantAssessment.Empty;
    public DiscProfile Disc { get; init; } = DiscProfile.Empty;
    public ProfileFacts Facts { get; init; } = ProfileFacts.Empty;
    public SentimentSnapshot Sentiment { get; init; } = SentimentSnapshot.Empty;

    /// <summary>Turns merged so far.</summary>
    public int Turns { get; init; }

    /// <summary>The last inbound message (sequence number) whose turn is merged: a re-run turn is not counted twice.</summary>
    public long MergedThroughSeq { get; init; }

    /// <summary>"llm" or "rules": who read the latest turn.</summary>
    public string? LastSource { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
    public string ETag { get; init; } = "";

    public static LeadProfile New(string clientId, string leadId) => new() { ClientId = clientId, LeadId = leadId };
}

/// <summary>Where lead profiles live. Every call is scoped to one client.</summary>
public interface ILeadProfileStore
{
    Task<LeadProfile?> GetAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>
    /// Creates the profile when its ETag is empty, else replaces it if still at that ETag. Throws
    /// <see cref="Common.ConcurrencyException"/> when another writer got there first. Returns it with its new ETag.
    /// </summary>
    Task<LeadProfile> SaveAsync(LeadProfile profile, CancellationToken ct);
}

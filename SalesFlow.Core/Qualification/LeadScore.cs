using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Qualification;

/// <summary>What the score is computed from, each as observed (not yet scaled).</summary>
/// <param name="BantOverall">0 … 1.</param>
/// <param name="LeadMessages">Messages the lead sent.</param>
/// <param name="ResponseLatencyMinutes">Median minutes the lead took to answer us; null when unknown.</param>
/// <param name="SentimentTrend">-1 … 1.</param>
/// <param name="State">Conversation state; null before the first turn.</param>
/// <param name="DaysSinceActivity">Days since the lead's latest activity.</param>
public sealed record LeadScoreFeatures(double BantOverall, int LeadMessages, double? ResponseLatencyMinutes, double SentimentTrend, ConversationState? State, double DaysSinceActivity);

/// <summary>One feature's part in the score: its raw value, the value scaled to 0 … 1 (or -1 … 1), the weight and the product.</summary>
public sealed record LeadScoreTerm(string Feature, double? Raw, double Scaled, double Weight, double Contribution);

/// <summary>The lead's temperature, a 0–100 health score and a conversion probability, with every term shown.</summary>
public sealed record LeadScoreResult(string Temperature, int Health, double Probability, double Bias, IReadOnlyList<LeadScoreTerm> Terms);

/// <summary>
/// A transparent logistic model: probability = 1 / (1 + e^-(bias + Σ weight·scaled)). The weights are fixed priors chosen
/// by hand (qualification and stage matter most, a silent lead cools off) until enough won/lost outcomes exist to learn them.
/// Health is the unweighted mean of the scaled signals, so it says how the relationship looks regardless of the stage.
/// </summary>
public static class LeadScore
{
    public const double Bias = -3.0;

    public static IReadOnlyDictionary<string, double> PriorWeights { get; } = new Dictionary<string, double>
    {
        ["bant"] = 3.0,
        ["engagement"] = 1.0,
        ["responseSpeed"] = 0.5,
        ["sentiment"] = 1.0,
        ["stage"] = 2.0,
        ["recency"] = 1.0,
    };

    public static LeadScoreResult Compute(LeadScoreFeatures f, IReadOnlyDictionary<string, double>? weights = null, double? bias = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        var w = weights ?? PriorWeights;
        var b = bias ?? Bias;
        var scaled = ScaleAll(f);
        var terms = scaled.Select(s => new LeadScoreTerm(s.Name, s.Raw, Round(s.Scaled), w[s.Name], Round(w[s.Name] * s.Scaled))).ToList();
        var z = b + terms.Sum(t => t.Weight * t.Scaled);
        var probability = Round(1 / (1 + Math.Exp(-z)));
        var health = (int)Math.Round(100 * scaled.Average(s => s.Name == "sentiment" ? (s.Scaled + 1) / 2 : s.Scaled));
        return new LeadScoreResult(Temperature(probability), health, probability, b, terms);
    }

    /// <summary>Each feature scaled as the model reads it (the input of the learnt weights' fit).</summary>
    public static IReadOnlyDictionary<string, double> Scale(LeadScoreFeatures f) => ScaleAll(f).ToDictionary(s => s.Name, s => s.Scaled);

    private static List<(string Name, double? Raw, double Scaled)> ScaleAll(LeadScoreFeatures f) =>
    [
        ("bant", f.BantOverall, Math.Clamp(f.BantOverall, 0, 1)),
        // Saturates: the tenth message says less than the second.
        ("engagement", f.LeadMessages, 1 - Math.Exp(-Math.Max(0, f.LeadMessages) / 4.0)),
        // Answers within minutes → 1, after a day → ~0; unknown counts as neutral (0.5).
        ("responseSpeed", f.ResponseLatencyMinutes, f.ResponseLatencyMinutes is { } m ? Math.Exp(-Math.Max(0, m) / 240.0) : 0.5),
        ("sentiment", f.SentimentTrend, Math.Clamp(f.SentimentTrend, -1, 1)),
        ("stage", f.State is null ? null : (int)f.State, Stage(f.State)),
        // Halves every week of silence: the time decay the score-refresh timer applies to quiet leads.
        ("recency", f.DaysSinceActivity, Math.Pow(0.5, Math.Max(0, f.DaysSinceActivity) / 7.0)),
    ];

    /// <summary>HOT from a 60 % chance, WARM from 30 %.</summary>
    public static string Temperature(double probability) => probability >= 0.6 ? "hot" : probability >= 0.3 ? "warm" : "cold";

    /// <summary>How far along the sale the conversation is, 0 … 1.</summary>
    public static double Stage(ConversationState? state) => state switch
    {
        null or ConversationState.InitialContact => 0,
        ConversationState.InterestQualification => 0.2,
        ConversationState.ValueProposition => 0.4,
        ConversationState.ObjectionHandling => 0.5,
        ConversationState.PriceNegotiation => 0.7,
        ConversationState.ClosingAttempt => 0.85,
        ConversationState.PostPurchase => 1,
        _ => 0,
    };

    private static double Round(double value) => Math.Round(value, 3);
}

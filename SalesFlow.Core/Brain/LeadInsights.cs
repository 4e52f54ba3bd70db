using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Brain;

/// <summary>How strongly a message shows one BANT criterion (0 … 1) and the words that show it.</summary>
public sealed record BantSignal(double Score, string? Evidence)
{
    public static BantSignal None { get; } = new(0, null);
}

public sealed record BantSignals(BantSignal Budget, BantSignal Authority, BantSignal Need, BantSignal Timeline)
{
    public static BantSignals None { get; } = new(BantSignal.None, BantSignal.None, BantSignal.None, BantSignal.None);
}

/// <summary>DISC (DISG) style signals, each 0 … 1.</summary>
public sealed record DiscSignals(double Dominance, double Influence, double Steadiness, double Conscientiousness)
{
    public static DiscSignals None { get; } = new(0, 0, 0, 0);

    /// <summary>The lead's words that showed the style (kept as the profile's DISC signals); null when none did.</summary>
    public string? Said { get; init; }

    /// <summary>"D", "I", "S" or "C" when one style stands out (≥ 0.5), else null.</summary>
    public string? Primary
    {
        get
        {
            var styles = new (string Style, double Score)[] { ("D", Dominance), ("I", Influence), ("S", Steadiness), ("C", Conscientiousness) };
            var top = styles.MaxBy(s => s.Score);
            return top.Score >= 0.5 ? top.Style : null;
        }
    }
}

/// <summary>Facts a lead stated about themselves.</summary>
public sealed record KeyFacts(string? Name, string? Company, string? Role, string? Budget, string? Timeline, IReadOnlyList<string> PainPoints, string? Email)
{
    public static KeyFacts None { get; } = new(null, null, null, null, null, [], null);
}

/// <summary>
/// Everything the brain reads from a lead's message: the analysis the state machine uses, a suggested next state
/// with a confidence, BANT and DISC signals and key facts. A suggestion is only a suggestion: <see cref="AllowedSuggestion"/>
/// returns it only along an edge the state machine allows.
/// </summary>
/// <param name="Source">"llm" or "rules".</param>
/// <param name="RulesReading">When a model did the analysis: the rules analyser's reading of the same text. The model
/// router takes the harder of the two readings, so a (small) model's misreading never makes a hard turn cheap.</param>
public sealed record LeadInsights(
    MessageAnalysis Analysis,
    ConversationState? SuggestedState,
    double SuggestedStateConfidence,
    BantSignals Bant,
    DiscSignals Disc,
    KeyFacts Facts,
    string Source,
    MessageAnalysis? RulesReading = null)
{
    /// <summary>The suggested state when it is confident enough and an allowed move from <paramref name="current"/>; else null.</summary>
    public ConversationState? AllowedSuggestion(ConversationState current, double minConfidence = 0.7) =>
        SuggestedState is { } next && next != current && SuggestedStateConfidence >= minConfidence && SalesStateMachine.IsAllowed(current, next) ? next : null;
}

/// <summary>Who the analysis is for (usage accounting, model choice) and where the conversation stands.</summary>
public sealed record AnalysisContext(string ClientId, string? LeadId, ConversationState State);

/// <summary>
/// Reads <see cref="LeadInsights"/> from what a lead wrote: the one port of message understanding (the rules, and a
/// model that falls back to them).
/// </summary>
public interface ILeadInsightsExtractor
{
    Task<LeadInsights> ExtractAsync(string text, AnalysisContext context, CancellationToken ct);
}

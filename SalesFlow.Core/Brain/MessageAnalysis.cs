namespace SalesFlow.Core.Brain;

/// <summary>What a lead wants with a message.</summary>
public enum Intent
{
    Greeting,
    Interest,
    Question,
    Pricing,
    Objection,
    Meeting,
    Purchase,
    Support,
    Human,
    OptOut,
    Other,
}

public enum Sentiment
{
    Negative,
    Neutral,
    Positive,
}

/// <summary>The language, intent and sentiment of a message: the part of <see cref="LeadInsights"/> the state machine reads.</summary>
/// <param name="Language">ISO 639-1 code ("en", "de").</param>
/// <param name="SentimentScore">-1 (furious) … +1 (delighted).</param>
/// <param name="Confidence">0 … 1, how sure the analyser is of the intent.</param>
public sealed record MessageAnalysis(string Language, Intent Intent, Sentiment Sentiment, double SentimentScore, double Confidence)
{
    /// <summary>Strongly negative messages go to a human.</summary>
    public bool IsStronglyNegative => SentimentScore <= -0.6;
}

public static class IntentNames
{
    public static string ToWire(this Intent intent) => intent switch
    {
        Intent.OptOut => "opt_out",
        _ => intent.ToString().ToLowerInvariant(),
    };

    public static string ToWire(this Sentiment sentiment) => sentiment.ToString().ToLowerInvariant();

    /// <summary>The intent of a wire name ("opt_out", "meeting"); throws on an unknown name.</summary>
    public static Intent IntentFromWire(string wire) =>
        Enum.Parse<Intent>(wire.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);
}

namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// Deterministic, keyword-based analysis of a lead message: language (en/de), intent by priority rules and a
/// lexicon sentiment score. Needs no model or network; rules are compiled once into static tables.
/// </summary>
public sealed class RulesMessageAnalyzer : IMessageAnalyzer
{
    public MessageAnalysis Analyze(string text)
    {
        var lead = LeadText.Parse(text);
        var language = LanguageDetector.Detect(lead);
        var (intent, confidence) = IntentRules.Classify(lead);
        var score = SentimentLexicon.Score(lead, intent);
        var sentiment = score >= SentimentLexicon.PositiveThreshold ? Sentiment.Positive
            : score <= SentimentLexicon.NegativeThreshold ? Sentiment.Negative
            : Sentiment.Neutral;
        return new MessageAnalysis(language, intent, sentiment, score, confidence);
    }

    /// <summary>Only the language, for callers that need nothing else.</summary>
    public static string DetectLanguage(string text) => LanguageDetector.Detect(LeadText.Parse(text));
}

using SalesFlow.Core.Brain.Learnt;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// The offline reading of a lead's message, deterministic and keyword-based: language (en/de), intent by priority rules
/// and a lexicon sentiment score, plus BANT, DISC and key facts from explicit phrases (<see cref="LeadSignalRules"/>);
/// no state suggestion (the state machine's own rules decide offline). Needs no model or network; rules are compiled
/// once into static tables. It is also what the model's reading falls back to, and what callers use that must never
/// spend a model call (the analyze API, the coach).
/// <para>As the embedded brain (no LLM), its intent and sentiment are the <see cref="MessageReader"/>'s: these rules
/// combined with the local learnt model (issue 14). <see cref="Analyze"/> stays the rules alone.</para>
/// </summary>
public sealed class RulesInsightsExtractor(MessageReader reader) : ILeadInsightsExtractor
{
    public Task<LeadInsights> ExtractAsync(string text, AnalysisContext context, CancellationToken ct) =>
        Task.FromResult(Extract(text));

    /// <summary>The combined reading (rules + learnt model) with the rules' BANT, DISC and facts.</summary>
    public LeadInsights Extract(string text) => Extract(reader.Read(text), text);

    /// <summary>The insights around an analysis already made (the routing evaluation reads each turn once).</summary>
    public static LeadInsights Extract(MessageAnalysis analysis, string text)
    {
        var (bant, disc, facts) = LeadSignalRules.Read(text);
        return new LeadInsights(analysis, null, 0, bant, disc, facts, "rules");
    }

    /// <summary>Language, intent and sentiment by the rules alone (what <see cref="MessageReader"/> combines with the model).</summary>
    public static MessageAnalysis Analyze(string text)
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

    /// <summary>
    /// The language to answer a lead in: the one it has written in so far (English or German) unless this message is
    /// clearly in the other; else what the reading found.
    /// </summary>
    public static string LanguageFor(string text, string readLanguage, string? leadLanguage) =>
        leadLanguage is "en" or "de" && readLanguage != leadLanguage && !LanguageDetector.SwitchesFrom(LeadText.Parse(text), leadLanguage)
            ? leadLanguage
            : readLanguage;
}

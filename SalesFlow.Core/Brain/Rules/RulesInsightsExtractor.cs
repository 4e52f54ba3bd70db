namespace SalesFlow.Core.Brain.Rules;

/// <summary>
/// The offline insights: the rules analysis plus BANT, DISC and key facts from explicit phrases
/// (<see cref="LeadSignalRules"/>); no state suggestion (the state machine's own rules decide offline).
/// </summary>
public sealed class RulesInsightsExtractor(IMessageAnalyzer analyzer) : ILeadInsightsExtractor
{
    public Task<LeadInsights> ExtractAsync(string text, AnalysisContext context, CancellationToken ct) =>
        Task.FromResult(Extract(analyzer.Analyze(text), text));

    public static LeadInsights Extract(MessageAnalysis analysis, string text)
    {
        var (bant, disc, facts) = LeadSignalRules.Read(text);
        return new LeadInsights(analysis, null, 0, bant, disc, facts, "rules");
    }
}

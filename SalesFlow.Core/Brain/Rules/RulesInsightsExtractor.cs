using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Brain.Rules;

/// <summary>The offline insights: the rules analysis plus the name and e-mail the lead stated; no BANT/DISC reading, no state suggestion.</summary>
public sealed class RulesInsightsExtractor(IMessageAnalyzer analyzer) : ILeadInsightsExtractor
{
    public Task<LeadInsights> ExtractAsync(string text, AnalysisContext context, CancellationToken ct) =>
        Task.FromResult(Extract(analyzer.Analyze(text), text));

    public static LeadInsights Extract(MessageAnalysis analysis, string text) => new(
        analysis,
        null,
        0,
        BantSignals.None,
        DiscSignals.None,
        KeyFacts.None with { Name = LeadFacts.FindName(text), Email = ContactAddresses.FindEmailIn(text) },
        "rules");
}

using Microsoft.Extensions.Logging;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// The client's knowledge for one reply as "[sourceId] text" lines: the passages the reply may draw on and the
/// compliance filter checks figures against, those in the lead's language first (a German lead asking about Salesforce
/// was answered from the English FAQ, which scored a little higher than its German twin). A failing index never blocks
/// a reply.
/// </summary>
public sealed class TurnKnowledge(IKnowledgeRetriever knowledge, ILogger<TurnKnowledge> logger)
{
    private const int Passages = 3;

    /// <param name="language">The reply's language, whose passages come first; null keeps the index's order (a compliance check, which reads them all).</param>
    public async Task<IReadOnlyList<string>> ForAsync(string clientId, string leadText, string? language, CancellationToken ct)
    {
        try
        {
            var context = await knowledge.RetrieveAsync(clientId, leadText, Passages, ct);
            return context.Passages
                .OrderBy(p => language is null || LanguageDetector.Detect(LeadText.Parse(p.Text)) == language ? 0 : 1)
                .Select(p => $"[{p.SourceId}] {p.Text}")
                .ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Knowledge retrieval failed; the reply is written without it");
            return [];
        }
    }
}

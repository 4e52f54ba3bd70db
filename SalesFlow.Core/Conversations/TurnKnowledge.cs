using Microsoft.Extensions.Logging;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// The client's knowledge for one reply as "[sourceId] text" lines: the passages the reply may draw on and the
/// compliance filter checks figures against. A failing index never blocks a reply.
/// </summary>
public sealed class TurnKnowledge(IKnowledgeRetriever knowledge, ILogger<TurnKnowledge> logger)
{
    private const int Passages = 3;

    public async Task<IReadOnlyList<string>> ForAsync(string clientId, string leadText, CancellationToken ct)
    {
        try
        {
            var context = await knowledge.RetrieveAsync(clientId, leadText, Passages, ct);
            return context.Passages.Select(p => $"[{p.SourceId}] {p.Text}").ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Knowledge retrieval failed; the reply is written without it");
            return [];
        }
    }
}

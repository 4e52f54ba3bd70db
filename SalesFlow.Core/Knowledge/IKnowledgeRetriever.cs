using System.Text;

namespace SalesFlow.Core.Knowledge;

/// <summary>
/// The RAG hook for reply generation: the passages a reply may draw on, found with the hybrid
/// search and its calibrated threshold. An empty context means "nothing known": the brain says
/// it will check instead of inventing.
/// </summary>
public interface IKnowledgeRetriever
{
    Task<KnowledgeContext> RetrieveAsync(string clientId, string query, int top, CancellationToken ct);
}

/// <summary>Passages for one reply, with their ids for citing and for the grounding check.</summary>
public sealed record KnowledgeContext(IReadOnlyList<Passage> Passages)
{
    public static readonly KnowledgeContext Empty = new([]);

    public bool IsEmpty => Passages.Count == 0;

    /// <summary>The passages as a prompt section: "[sourceId] text" per passage, within a token budget.</summary>
    public string ToPromptSection(int maxTokens = 1500)
    {
        var builder = new StringBuilder();
        var used = 0;
        foreach (var passage in Passages)
        {
            var line = $"[{passage.SourceId}] {passage.Text.ReplaceLineEndings(" ")}";
            var tokens = Common.TokenEstimator.Count(line);
            if (used + tokens > maxTokens)
            {
                break;
            }

            builder.AppendLine(line);
            used += tokens;
        }

        return builder.ToString();
    }
}

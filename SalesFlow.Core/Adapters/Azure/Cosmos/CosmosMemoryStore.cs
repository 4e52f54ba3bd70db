using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Memory;

namespace SalesFlow.Core.Adapters.Azure.Cosmos;

/// <summary>
/// The summary as the document <c>summary</c> in the lead's partition of the <c>conversations</c> container
/// (pk <c>/leadKey</c> = <c>{clientId}/{leadId}</c>): a point read per turn, erased with the partition.
/// Created once (a conflict is a lost race), then replaced under its <c>_etag</c>.
/// </summary>
public sealed class CosmosMemoryStore(CosmosContainers containers) : IMemoryStore
{
    internal const string SummaryDocId = "summary";
    internal const string SummaryType = "summary";

    public async Task<ConversationSummary?> GetSummaryAsync(string clientId, string leadId, CancellationToken ct)
    {
        var doc = await containers.Conversations.ReadOrNullAsync(SummaryDocId, CosmosConversationStore.LeadKey(clientId, leadId), ct);
        return doc is not null && doc.String("type") == SummaryType && doc.String("clientId") == clientId ? CosmosDocuments.FromDocument<ConversationSummary>(doc) : null;
    }

    public async Task<ConversationSummary> SaveSummaryAsync(ConversationSummary summary, CancellationToken ct)
    {
        var leadKey = CosmosConversationStore.LeadKey(summary.ClientId, summary.LeadId);
        var doc = CosmosDocuments.ToDocument(summary, SummaryType, SummaryDocId);
        doc["leadKey"] = leadKey;
        if (summary.ETag.Length > 0)
        {
            var replaced = await containers.Conversations.ReplaceGuardedAsync(doc, leadKey, summary.ETag, $"Summary of lead {summary.LeadId}", ct);
            return summary with { ETag = CosmosDocuments.ETagOf(replaced) };
        }

        try
        {
            var created = await containers.Conversations.CreateItemAsync(doc, new PartitionKey(leadKey), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
            return summary with { ETag = created.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            throw new ConcurrencyException($"Summary of lead {summary.LeadId} was created meanwhile.");
        }
    }

    /// <summary>
    /// The timer's sweep (cross-partition, off the request path): each lead's sequence counter against its summary's
    /// coverage. The counter counts both directions, so this finds candidates; the refresh itself decides exactly.
    /// </summary>
    public async Task<IReadOnlyList<StaleLead>> ListStaleLeadsAsync(int hotWindow, int max, CancellationToken ct)
    {
        var counters = await containers.Conversations.QueryAsync(new QueryDefinition("SELECT c.leadKey, c.clientId, c.seq FROM c WHERE c.type = 'counter'"), null, ct);
        var summaries = (await containers.Conversations.QueryAsync(new QueryDefinition("SELECT c.leadKey, c.coversThroughSeq FROM c WHERE c.type = 'summary'"), null, ct))
            .ToDictionary(d => d.String("leadKey")!, d => d["coversThroughSeq"]!.GetValue<long>());
        var stale = new List<StaleLead>();
        foreach (var counter in counters)
        {
            var leadKey = counter.String("leadKey")!;
            var clientId = counter.String("clientId")!;
            var seq = counter["seq"]?.GetValue<long>() ?? 0;
            if (seq - summaries.GetValueOrDefault(leadKey) > hotWindow && leadKey.StartsWith(clientId + "/", StringComparison.Ordinal))
            {
                stale.Add(new StaleLead(clientId, leadKey[(clientId.Length + 1)..]));
                if (stale.Count >= max)
                {
                    break;
                }
            }
        }

        return stale;
    }
}

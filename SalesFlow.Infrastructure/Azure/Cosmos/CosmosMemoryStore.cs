using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Memory;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// The summary as the document <c>summary</c> in the lead's partition of the <c>conversations</c> container
/// (pk <c>/leadKey</c> = <c>{clientId}/{leadId}</c>): a point read per turn, erased with the partition.
/// Created once (a conflict is a lost race), then replaced under its <c>_etag</c>.
/// </summary>
/// <param name="clock">Only for the sweep's window (the system clock unless a test moves it).</param>
public sealed class CosmosMemoryStore(CosmosContainers containers, TimeProvider? clock = null) : IMemoryStore
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
    /// How far back the timer's sweep looks for leads with new messages. A lead whose hot window overflows is refreshed
    /// after its turn; the sweep catches the refreshes that failed, which it retries every 15 minutes for this long.
    /// Looking further back would read every lead's counter on every run (cross-partition, the cost growing with all
    /// leads ever seen instead of the active ones).
    /// </summary>
    internal static readonly TimeSpan SweepWindow = TimeSpan.FromDays(2);

    /// <summary>
    /// The timer's sweep (cross-partition, off the request path): the sequence counters that moved within
    /// <see cref="SweepWindow"/> and passed the hot window, each against its summary's coverage (a point read). The
    /// counter counts both directions, so this finds candidates; the refresh itself decides exactly.
    /// </summary>
    public async Task<IReadOnlyList<StaleLead>> ListStaleLeadsAsync(int hotWindow, int max, CancellationToken ct)
    {
        var since = (clock ?? TimeProvider.System).GetUtcNow() - SweepWindow;
        var counters = await containers.Conversations.QueryAsync(
            new QueryDefinition("SELECT c.leadKey, c.clientId, c.seq FROM c WHERE c.type = 'counter' AND c._ts >= @since AND c.seq > @hot")
                .WithParameter("@since", since.ToUnixTimeSeconds())
                .WithParameter("@hot", hotWindow),
            null,
            ct);
        var stale = new List<StaleLead>();
        foreach (var counter in counters)
        {
            var leadKey = counter.String("leadKey")!;
            var clientId = counter.String("clientId")!;
            var seq = counter["seq"]?.GetValue<long>() ?? 0;
            if (!leadKey.StartsWith(clientId + "/", StringComparison.Ordinal))
            {
                continue;
            }

            var summary = await containers.Conversations.ReadOrNullAsync(SummaryDocId, leadKey, ct);
            var covered = summary is not null && summary.String("type") == SummaryType ? summary["coversThroughSeq"]?.GetValue<long>() ?? 0 : 0;
            if (seq - covered > hotWindow)
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

using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Memory;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Vectors as documents <c>vec:{kind}:{seq}</c> in the lead's partition of the <c>conversations</c> container (the
/// float blob base64-encoded: a third of the size of a JSON number array), scored in-process with the same brute-force
/// cosine as the embedded index. One single-partition query per recall; erased with the partition.
/// </summary>
public sealed class CosmosMemoryIndex(CosmosContainers containers) : IMemoryIndex
{
    internal const string VectorType = "memoryVector";

    private Container Conversations => containers.Conversations;

    public async Task AddAsync(string clientId, string leadId, IReadOnlyList<MemoryEntry> entries, CancellationToken ct)
    {
        var leadKey = CosmosConversationStore.LeadKey(clientId, leadId);
        foreach (var e in entries)
        {
            var doc = new JsonObject
            {
                ["id"] = $"vec:{e.Kind}:{e.Seq}",
                ["type"] = VectorType,
                ["leadKey"] = leadKey,
                ["clientId"] = clientId,
                ["leadId"] = leadId,
                ["kind"] = e.Kind,
                ["seq"] = e.Seq,
                ["text"] = e.Text,
                ["fromLead"] = e.FromLead,
                ["atMs"] = e.At.ToUnixTimeMilliseconds(),
                ["vector"] = Convert.ToBase64String(VectorScoring.ToBlob(e.Vector)),
            };
            await Conversations.TryCreateAsync(doc, leadKey, ct); // false: indexed already (idempotent)
        }
    }

    public async Task<long> IndexedThroughSeqAsync(string clientId, string leadId, CancellationToken ct)
    {
        var leadKey = CosmosConversationStore.LeadKey(clientId, leadId);
        var newest = await Conversations.QueryAsync(
            Query("SELECT TOP 1 c.seq FROM c WHERE c.leadKey = @leadKey AND c.clientId = @clientId AND c.type = 'memoryVector' AND c.kind = 'message' ORDER BY c.seq DESC", clientId, leadKey),
            leadKey,
            ct,
            1);
        return newest.Count == 0 ? 0 : newest[0]["seq"]!.GetValue<long>();
    }

    public async Task<int> CountAsync(string clientId, string leadId, CancellationToken ct)
    {
        var leadKey = CosmosConversationStore.LeadKey(clientId, leadId);
        return (await Conversations.QueryAsync(Query("SELECT c.id FROM c WHERE c.leadKey = @leadKey AND c.clientId = @clientId AND c.type = 'memoryVector'", clientId, leadKey), leadKey, ct)).Count;
    }

    public async Task<IReadOnlyList<Recall>> SearchAsync(string clientId, string leadId, float[] query, int top, float floor, long beforeSeq, CancellationToken ct)
    {
        var leadKey = CosmosConversationStore.LeadKey(clientId, leadId);
        var docs = await Conversations.QueryAsync(
            Query("SELECT c.kind, c.seq, c.text, c.fromLead, c.atMs, c.vector FROM c WHERE c.leadKey = @leadKey AND c.clientId = @clientId AND c.type = 'memoryVector' AND c.seq < @before", clientId, leadKey)
                .WithParameter("@before", beforeSeq),
            leadKey,
            ct);
        var vectors = docs.Select(d => VectorScoring.FromBlob(Convert.FromBase64String(d.String("vector")!))).ToList();
        return VectorScoring.Top(query, vectors, _ => true, top, floor)
            .Select(b => new Recall(
                docs[b.Index].String("kind")!,
                docs[b.Index]["seq"]!.GetValue<long>(),
                docs[b.Index].String("text")!,
                docs[b.Index]["fromLead"]!.GetValue<bool>(),
                DateTimeOffset.FromUnixTimeMilliseconds(docs[b.Index]["atMs"]!.GetValue<long>()),
                b.Score))
            .ToList();
    }

    private static QueryDefinition Query(string sql, string clientId, string leadKey) =>
        new QueryDefinition(sql).WithParameter("@leadKey", leadKey).WithParameter("@clientId", clientId);
}

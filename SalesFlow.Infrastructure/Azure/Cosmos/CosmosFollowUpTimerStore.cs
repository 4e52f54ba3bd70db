using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.FollowUps;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Follow-up timers in the <c>conversations</c> container, one document (<c>follow-up-timer</c>) in the lead's own
/// partition, so every write is a point write guarded by its <c>_etag</c> and no container (or infra) is added; erasing
/// the lead's partition erases it. The due listing is the one cross-partition query, run by the sweep.
/// </summary>
public sealed class CosmosFollowUpTimerStore(CosmosContainers containers) : IFollowUpTimerStore
{
    private const string DocId = "follow-up-timer";
    private const string Type = "follow_up_timer";

    private Container Conversations => containers.Conversations;

    public async Task<FollowUpTimer> SetAsync(FollowUpTimer timer, CancellationToken ct)
    {
        var response = await Conversations.UpsertItemAsync(ToDocument(timer), new PartitionKey(Key(timer)), cancellationToken: ct);
        return timer with { ETag = response.ETag };
    }

    public async Task<FollowUpTimer?> GetAsync(string clientId, string leadId, CancellationToken ct) =>
        await Conversations.ReadOrNullAsync(DocId, CosmosConversationStore.LeadKey(clientId, leadId), ct) is { } doc ? FromDocument(doc) : null;

    public Task<bool> CancelAsync(string clientId, string leadId, CancellationToken ct) =>
        Conversations.TryDeleteAsync(DocId, CosmosConversationStore.LeadKey(clientId, leadId), ct);

    public async Task<IReadOnlyList<FollowUpTimer>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        // Sorted here rather than with ORDER BY: the timers due in one sweep are few, and a cross-partition ORDER BY needs a query plan.
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.dueAtMs <= @now")
            .WithParameter("@type", Type)
            .WithParameter("@now", now.ToUnixTimeMilliseconds());
        var due = await Conversations.QueryAsync(query, null, ct);
        return [.. due.Select(FromDocument).OrderBy(t => t.DueAt).Take(Math.Max(0, limit))];
    }

    public async Task<IReadOnlyList<FollowUpTimer>> ListForClientAsync(string clientId, int limit, CancellationToken ct)
    {
        // Cross-partition like the due listing (a client's leads are many partitions); sorted here for the same reason.
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.clientId = @client")
            .WithParameter("@type", Type)
            .WithParameter("@client", clientId);
        var timers = await Conversations.QueryAsync(query, null, ct);
        return [.. timers.Select(FromDocument).OrderBy(t => t.DueAt).Take(Math.Max(0, limit))];
    }

    public async Task<FollowUpTimer?> TryReplaceAsync(FollowUpTimer timer, CancellationToken ct)
    {
        try
        {
            var doc = await Conversations.ReplaceGuardedAsync(ToDocument(timer), Key(timer), timer.ETag, $"Follow-up timer of lead {timer.LeadId}", ct);
            return timer with { ETag = CosmosDocuments.ETagOf(doc) };
        }
        catch (ConcurrencyException)
        {
            return null;
        }
    }

    public async Task<bool> TryRemoveAsync(FollowUpTimer timer, CancellationToken ct)
    {
        try
        {
            await Conversations.DeleteItemAsync<JsonObject>(DocId, new PartitionKey(Key(timer)), new ItemRequestOptions { IfMatchEtag = timer.ETag }, ct);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static string Key(FollowUpTimer timer) => CosmosConversationStore.LeadKey(timer.ClientId, timer.LeadId);

    private static JsonObject ToDocument(FollowUpTimer timer) => new()
    {
        ["id"] = DocId,
        ["type"] = Type,
        ["leadKey"] = Key(timer),
        ["clientId"] = timer.ClientId,
        ["leadId"] = timer.LeadId,
        ["cycle"] = timer.Cycle,
        ["stepsSent"] = timer.StepsSent,
        ["lastStepAt"] = timer.LastStepAt?.ToUniversalTime(),
        ["dueAt"] = timer.DueAt.ToUniversalTime(),
        // Milliseconds for the due query's comparison (a number compares as a number, whatever the string form).
        ["dueAtMs"] = timer.DueAt.ToUnixTimeMilliseconds(),
    };

    private static FollowUpTimer FromDocument(JsonObject doc) => new()
    {
        ClientId = doc.String("clientId")!,
        LeadId = doc.String("leadId")!,
        Cycle = doc.String("cycle")!,
        StepsSent = doc["stepsSent"]!.GetValue<int>(),
        LastStepAt = doc["lastStepAt"]?.GetValue<DateTimeOffset>(),
        DueAt = DateTimeOffset.FromUnixTimeMilliseconds(doc["dueAtMs"]!.GetValue<long>()),
        ETag = CosmosDocuments.ETagOf(doc),
    };
}

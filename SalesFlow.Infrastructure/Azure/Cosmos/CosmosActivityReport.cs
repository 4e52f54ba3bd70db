using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Alerts;
using SalesFlow.Core.Delivery;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// The daily summary's counts on Cosmos: activity events are documents <c>activity:{hash}</c> in the <c>leads</c>
/// container (pk <c>/clientId</c>; the id is the hash of the event's key, so a create is the once-per-event insert);
/// each figure is a single-partition <c>SELECT VALUE COUNT(1)</c>. Lead documents date themselves with the ISO-8601
/// <c>createdAt</c> their store writes in UTC, which orders as text, so the range compares strings of the same form.
/// </summary>
public sealed class CosmosActivityReport(CosmosContainers containers) : IActivityReport
{
    internal const string ActivityType = "activity";

    public Task RecordAsync(string clientId, string kind, string eventKey, DateTimeOffset at, CancellationToken ct) =>
        containers.Leads.TryCreateAsync(
            new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = $"activity:{SqliteActivityReport.Hash(eventKey)}",
                ["type"] = ActivityType,
                ["clientId"] = clientId,
                ["kind"] = kind,
                ["atMs"] = at.Ms(),
            },
            clientId,
            ct);

    public async Task<ActivityCounts> CountAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var newLeads = await CountAsync(
            containers.Leads,
            new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.clientId = @clientId AND c.type = 'lead' AND c.createdAt >= @from AND c.createdAt < @to")
                .WithParameter("@from", Iso(from)).WithParameter("@to", Iso(to)),
            clientId,
            ct);
        var hot = await KindAsync(clientId, ActivityKind.BecameHot, from, to, ct);
        var escalated = await KindAsync(clientId, ActivityKind.Escalated, from, to, ct);
        var optedOut = await KindAsync(clientId, ActivityKind.OptedOut, from, to, ct);
        var replies = await CountAsync(
            containers.Outbox,
            new QueryDefinition(
                "SELECT VALUE COUNT(1) FROM c WHERE c.clientId = @clientId AND c.type = 'outbox' AND c.purpose = @reply"
                + " AND (c.status = @sent OR c.status = @delivered OR c.status = @read) AND c.createdAtMs >= @from AND c.createdAtMs < @to")
                .WithParameter("@reply", OutboxPurpose.Reply)
                .WithParameter("@sent", OutboxStatus.Sent).WithParameter("@delivered", OutboxStatus.Delivered).WithParameter("@read", OutboxStatus.Read)
                .WithParameter("@from", from.Ms()).WithParameter("@to", to.Ms()),
            clientId,
            ct);
        return new ActivityCounts(newLeads, hot, escalated, optedOut, replies);
    }

    public async Task<IReadOnlyList<string>> ListClientIdsAsync(CancellationToken ct) =>
        (await containers.Clients.QueryAsync(new QueryDefinition("SELECT c.id FROM c WHERE c.type = 'client'"), null, ct))
            .Select(d => d.String("id")!)
            .Order(StringComparer.Ordinal)
            .ToList();

    private Task<int> KindAsync(string clientId, string kind, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        CountAsync(
            containers.Leads,
            new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE c.clientId = @clientId AND c.type = '{ActivityType}' AND c.kind = @kind AND c.atMs >= @from AND c.atMs < @to")
                .WithParameter("@kind", kind).WithParameter("@from", from.Ms()).WithParameter("@to", to.Ms()),
            clientId,
            ct);

    /// <summary>A single-partition count (the partition filter is in the text too: the stand-in ignores the request's key).</summary>
    private static async Task<int> CountAsync(Container container, QueryDefinition query, string clientId, CancellationToken ct)
    {
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(clientId), EnableOptimisticDirectExecution = true };
        using var iterator = container.GetItemQueryIterator<long?>(query.WithParameter("@clientId", clientId), requestOptions: options);
        long total = 0;
        while (iterator.HasMoreResults)
        {
            foreach (var value in await iterator.ReadNextAsync(ct))
            {
                total += value ?? 0;
            }
        }

        return (int)total;
    }

    /// <summary>An instant as the lead store's serializer writes it in UTC.</summary>
    private static string Iso(DateTimeOffset time) =>
        System.Text.Json.JsonSerializer.Serialize(time.ToUniversalTime(), CosmosDocuments.Json).Trim('"');
}

using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// The outbox in the <c>outbox</c> container (pk <c>/clientId</c>). An item's document id is
/// <c>outbox:{hash(idempotencyKey)}</c>, so inserting is an atomic insert-if-absent (409 → the
/// stored item); the item's own id is the <c>outboxId</c> property. A provider id is indexed by the
/// document <c>provider:{hash(providerMessageId)}</c> → item document, written when a send is marked,
/// so provider status reports are two point reads. Status writes are ETag-guarded read-modify-writes.
/// </summary>
public sealed class CosmosOutboxStore(CosmosContainers containers) : IOutboxStore
{
    private const string ItemType = "outbox";
    private const string ProviderType = "outboxProvider";
    private const int MaxAttempts = 20;

    private Container Outbox => containers.Outbox;

    public async Task<(OutboxItem Item, bool Created)> AddAsync(OutboxItem item, CancellationToken ct)
    {
        var doc = ToDocument(item);
        if (await Outbox.TryCreateAsync(doc, item.ClientId, ct))
        {
            return (item, true);
        }

        var existing = await Outbox.ReadOrNullAsync(doc.String("id")!, item.ClientId, ct)
            ?? throw new ConcurrencyException($"Outbox item with key {item.IdempotencyKey} vanished meanwhile.");
        return (ToItem(existing), false);
    }

    public async Task<OutboxItem?> GetAsync(string clientId, string id, CancellationToken ct) =>
        await FindDocumentAsync(clientId, id, ct) is { } doc ? ToItem(doc) : null;

    public async Task<IReadOnlyList<OutboxItem>> ListAsync(string clientId, string? leadId, string? status, int limit, CancellationToken ct)
    {
        if (limit <= 0)
        {
            return [];
        }

        var sql = new StringBuilder($"SELECT TOP {limit} * FROM c WHERE c.clientId = @clientId AND c.type = '{ItemType}'");
        if (leadId is not null)
        {
            sql.Append(LeadCondition);
        }

        if (status is not null)
        {
            sql.Append(" AND c.status = @status");
        }

        sql.Append(" ORDER BY c.createdAtMs, c.outboxId");
        var query = new QueryDefinition(sql.ToString()).WithParameter("@clientId", clientId);
        if (leadId is not null)
        {
            query = query.WithParameter("@leadId", leadId);
        }

        if (status is not null)
        {
            query = query.WithParameter("@status", status);
        }

        return (await Outbox.QueryAsync(query, clientId, ct, limit)).Take(limit).Select(ToItem).ToList();
    }

    public async Task<Page<OutboxItem>> ListPageAsync(string clientId, string? leadId, string? status, PagePosition? after, int limit, CancellationToken ct)
    {
        // A keyset filter rather than a continuation token: the position stays valid across instances and restarts, and
        // the (createdAtMs, outboxId) composite index serves the descending order too.
        var sql = new StringBuilder($"SELECT TOP {limit + 1} * FROM c WHERE c.clientId = @clientId AND c.type = '{ItemType}'");
        if (leadId is not null)
        {
            sql.Append(LeadCondition);
        }

        if (status is not null)
        {
            sql.Append(" AND c.status = @status");
        }

        if (after is not null)
        {
            sql.Append(" AND (c.createdAtMs < @at OR (c.createdAtMs = @at AND c.outboxId < @id))");
        }

        sql.Append(" ORDER BY c.createdAtMs DESC, c.outboxId DESC");
        var query = new QueryDefinition(sql.ToString()).WithParameter("@clientId", clientId);
        if (leadId is not null)
        {
            query = query.WithParameter("@leadId", leadId);
        }

        if (status is not null)
        {
            query = query.WithParameter("@status", status);
        }

        if (after is { } position)
        {
            query = query.WithParameter("@at", position.Key).WithParameter("@id", position.Id);
        }

        var items = (await Outbox.QueryAsync(query, clientId, ct, limit + 1))
            .Select(ToItem)
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        return Page<OutboxItem>.From(items, limit, i => new PagePosition(i.CreatedAt.ToUnixTimeMilliseconds(), i.Id));
    }

    public async Task<bool> ApplyStatusAsync(string clientId, string id, string? providerMessageId, string status, string? error, DateTimeOffset now, CancellationToken ct)
    {
        var doc = await FindDocumentAsync(clientId, id, ct);
        if (doc is null)
        {
            return false;
        }

        if (providerMessageId is not null)
        {
            await IndexProviderIdAsync(clientId, doc, providerMessageId, ct);
        }

        return await UpdateAsync(clientId, doc, item =>
        {
            var forward = OutboxStatus.Rank(status) > OutboxStatus.Rank(item.Status);
            var recordsId = providerMessageId is not null && item.ProviderMessageId is null;
            return forward || recordsId
                ? item with
                {
                    Status = forward ? status : item.Status,
                    Error = forward ? error : item.Error,
                    ProviderMessageId = item.ProviderMessageId ?? providerMessageId,
                    UpdatedAt = now,
                }
                : null;
        }, ct);
    }

    public async Task<OutboxItem?> TryClaimAsync(string clientId, string id, DateTimeOffset now, CancellationToken ct) =>
        await ChangeAsync(clientId, id, item => item.Status == OutboxStatus.Pending
            ? item with { Status = OutboxStatus.Sending, ClaimedAt = now, VendorCallStartedAt = null, Attempts = item.Attempts + 1, UpdatedAt = now }
            : null, ct);

    public async Task<bool> MarkVendorCallStartedAsync(string clientId, string id, DateTimeOffset claimedAt, DateTimeOffset now, CancellationToken ct) =>
        await ChangeAsync(clientId, id, item => item.Status == OutboxStatus.Sending && item.ClaimedAt?.Ms() == claimedAt.Ms()
            ? item with { VendorCallStartedAt = now, UpdatedAt = now }
            : null, ct) is not null;

    public async Task<bool> ReleaseClaimAsync(string clientId, string id, DateTimeOffset claimedAt, string status, string? error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken ct) =>
        await ChangeAsync(clientId, id, item => item.Status == OutboxStatus.Sending && item.ClaimedAt?.Ms() == claimedAt.Ms()
            ? item with { Status = status, Error = error, NextAttemptAt = nextAttemptAt, UpdatedAt = now }
            : null, ct) is not null;

    public Task<OutboxItem?> ResendAsync(string clientId, string id, string note, DateTimeOffset now, CancellationToken ct) =>
        ChangeAsync(clientId, id, item => item.Status is OutboxStatus.Failed or OutboxStatus.InDoubt
            ? item with { Status = OutboxStatus.Pending, Attempts = 0, ClaimedAt = null, VendorCallStartedAt = null, NextAttemptAt = null, Error = note, UpdatedAt = now }
            : null, ct);

    /// <summary>
    /// A conditional write: <paramref name="change"/> decides on the item as stored (null: the condition does not hold)
    /// and the replace is guarded by the ETag it read, so of concurrent writers one wins and the others decide again on
    /// what it wrote. Returns the written item, or null when the condition does not hold (or the item is missing).
    /// </summary>
    private async Task<OutboxItem?> ChangeAsync(string clientId, string id, Func<OutboxItem, OutboxItem?> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await FindDocumentAsync(clientId, id, ct) is not { } doc || change(ToItem(doc)) is not { } next)
            {
                return null;
            }

            try
            {
                await Outbox.ReplaceGuardedAsync(ToDocument(next), clientId, CosmosDocuments.ETagOf(doc), $"Outbox item {id}", ct);
                return next;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    public async Task<bool> MarkAsync(string clientId, string id, string status, string? providerMessageId, string? error, DateTimeOffset now, CancellationToken ct)
    {
        var doc = await FindDocumentAsync(clientId, id, ct);
        if (doc is null)
        {
            return false;
        }

        if (providerMessageId is not null)
        {
            await IndexProviderIdAsync(clientId, doc, providerMessageId, ct);
        }

        return await UpdateAsync(clientId, doc, item => item with
        {
            Status = status,
            ProviderMessageId = providerMessageId ?? item.ProviderMessageId,
            Error = error,
            UpdatedAt = now,
        }, ct);
    }

    public async Task<bool> ApplyProviderStatusAsync(string clientId, string providerMessageId, string status, string? error, DateTimeOffset now, CancellationToken ct)
    {
        var index = await Outbox.ReadOrNullAsync(ProviderId(providerMessageId), clientId, ct);
        if (index?.String("outboxDocId") is not { } docId || await Outbox.ReadOrNullAsync(docId, clientId, ct) is not { } doc)
        {
            return false;
        }

        return await UpdateAsync(clientId, doc, item => OutboxStatus.Rank(status) > OutboxStatus.Rank(item.Status)
            ? item with { Status = status, Error = error ?? item.Error, UpdatedAt = now }
            : null, ct);
    }

    /// <summary>
    /// A cross-partition query: it serves the minute sweep, not a request. Sorted here because a
    /// cross-partition ORDER BY needs a query plan the stand-in cannot serve.
    /// </summary>
    public async Task<IReadOnlyList<OutboxItem>> ListStalePendingAsync(DateTimeOffset olderThan, int limit, CancellationToken ct)
    {
        var query = new QueryDefinition($"SELECT * FROM c WHERE c.type = '{ItemType}' AND c.status = @pending AND c.updatedAtMs < @before AND NOT IS_DEFINED(c.redispatchedAtMs)")
            .WithParameter("@pending", OutboxStatus.Pending)
            .WithParameter("@before", olderThan.Ms());
        return (await Outbox.QueryAsync(query, null, ct))
            .OrderBy(d => d["updatedAtMs"]!.GetValue<long>())
            .Take(limit)
            .Select(ToItem)
            .ToList();
    }

    public async Task MarkRedispatchedAsync(string clientId, string id, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await FindDocumentAsync(clientId, id, ct) is not { } doc || doc["redispatchedAtMs"] is not null)
            {
                return;
            }

            doc["redispatchedAtMs"] = now.Ms();
            try
            {
                await Outbox.ReplaceGuardedAsync(doc, clientId, CosmosDocuments.ETagOf(doc), $"Outbox item {id}", ct);
                return;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>The index first: a provider report may arrive before the mark lands.</summary>
    private Task IndexProviderIdAsync(string clientId, JsonObject doc, string providerMessageId, CancellationToken ct) =>
        Outbox.UpsertItemAsync(
            new JsonObject
            {
                ["id"] = ProviderId(providerMessageId),
                ["type"] = ProviderType,
                ["clientId"] = clientId,
                ["leadId"] = doc.String("leadId"),
                ["providerMessageId"] = providerMessageId,
                ["outboxDocId"] = doc.String("id"),
            },
            new PartitionKey(clientId),
            new ItemRequestOptions { EnableContentResponseOnWrite = false },
            ct);

    internal static string DocumentId(string idempotencyKey) => CosmosDocuments.KeyId(ItemType, idempotencyKey);

    internal static string ProviderId(string providerMessageId) => CosmosDocuments.KeyId("provider", providerMessageId);

    /// <summary>Applies <paramref name="change"/> (null: nothing to do) with an ETag-guarded replace, rereading on a lost race.</summary>
    private async Task<bool> UpdateAsync(string clientId, JsonObject doc, Func<OutboxItem, OutboxItem?> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (change(ToItem(doc)) is not { } next)
            {
                return true;
            }

            try
            {
                await Outbox.ReplaceGuardedAsync(ToDocument(next), clientId, CosmosDocuments.ETagOf(doc), $"Outbox item {next.Id}", ct);
                return true;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                if (await Outbox.ReadOrNullAsync(doc.String("id")!, clientId, ct) is not { } reread)
                {
                    return false;
                }

                doc = reread;
            }
        }
    }

    /// <summary>A lead's listing holds the messages to the lead: staff alerts about it are listed client-wide only.</summary>
    private static readonly string LeadCondition =
        " AND c.leadId = @leadId" + string.Concat(OutboxPurpose.ToStaff.Select(p => $" AND c.purpose != '{p}'"));

    private async Task<JsonObject?> FindDocumentAsync(string clientId, string id, CancellationToken ct)
    {
        var query = new QueryDefinition($"SELECT * FROM c WHERE c.clientId = @clientId AND c.type = '{ItemType}' AND c.outboxId = @id")
            .WithParameter("@clientId", clientId)
            .WithParameter("@id", id);
        return (await Outbox.QueryAsync(query, clientId, ct)).FirstOrDefault();
    }

    private static JsonObject ToDocument(OutboxItem item)
    {
        var doc = CosmosDocuments.ToDocument(item, ItemType, DocumentId(item.IdempotencyKey));
        doc["outboxId"] = item.Id;
        doc["createdAtMs"] = item.CreatedAt.Ms();
        doc["updatedAtMs"] = item.UpdatedAt.Ms();
        return doc;
    }

    private static OutboxItem ToItem(JsonObject doc) => CosmosDocuments.FromDocument<OutboxItem>(doc, "outboxId");
}

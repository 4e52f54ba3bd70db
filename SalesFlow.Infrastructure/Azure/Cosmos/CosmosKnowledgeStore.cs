using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Knowledge bases and their sources in the <c>leads</c> container (pk <c>/clientId</c>): every call is a point
/// read/write or a single-partition query in the client's partition, and no further container (no infra change)
/// is needed. Documents: <c>type = "kbase"</c>, id <see cref="BaseDocId"/>; <c>type = "ksource"</c>, id
/// <see cref="SourceDocId"/>. The ids are hashed (<see cref="CosmosDocuments.KeyId"/>): source ids may contain
/// <c>:</c> (so <c>{baseId}:{sourceId}</c> would be ambiguous) and the store takes ids as given; the documents keep
/// the ids in clear. Times are Unix milliseconds, as in the SQLite adapter, so the <see cref="SetStatusAsync"/>
/// guard compares the same precision.
/// <para>
/// Semantics mirror <c>SqliteKnowledgeStore</c>; where SQLite has one transaction this adapter has a sequence of
/// single-document writes: a source write and the base's "last update" touch are two writes (the touch is
/// ETag-guarded and retried, never lowers the time), and deleting/clearing removes the sources first and the base
/// last, so an interrupted delete is finished by a retry. Ordering and the stats' sums are done here over a
/// projection without the content (no cross-partition or multi-property ORDER BY; a base holds at most thousands
/// of sources).
/// </para>
/// </summary>
public sealed class CosmosKnowledgeStore(CosmosContainers containers) : IKnowledgeStore
{
    internal const string BaseType = "kbase";
    internal const string SourceType = "ksource";
    private const int MaxGuardedAttempts = 10;

    private const string SourceListColumns =
        "c.clientId, c.baseId, c.sourceId, c.kind, c.title, c.contentType, c.status, c.chunkCount, c.tokenCount, c.error, c.createdAtMs, c.updatedAtMs";

    private Container Leads => containers.Leads;

    public static string BaseDocId(string knowledgeBaseId) => CosmosDocuments.KeyId(BaseType, knowledgeBaseId);

    public static string SourceDocId(string knowledgeBaseId, string sourceId) => CosmosDocuments.KeyId(SourceType, knowledgeBaseId, sourceId);

    public async Task CreateBaseAsync(KnowledgeBase b, CancellationToken ct)
    {
        var doc = new JsonObject
        {
            ["id"] = BaseDocId(b.Id),
            ["type"] = BaseType,
            ["clientId"] = b.ClientId,
            ["baseId"] = b.Id,
            ["name"] = b.Name,
            ["description"] = b.Description,
            ["createdAtMs"] = b.CreatedAt.Ms(),
            ["updatedAtMs"] = b.UpdatedAt.Ms(),
        };
        if (!await Leads.TryCreateAsync(doc, b.ClientId, ct))
        {
            throw new InvalidOperationException($"Knowledge base '{b.Id}' already exists.");
        }
    }

    public async Task<KnowledgeBase?> GetBaseAsync(string clientId, string id, CancellationToken ct) =>
        await ReadBaseDocAsync(clientId, id, ct) is { } doc ? MapBase(doc) : null;

    public async Task<IReadOnlyList<KnowledgeBase>> ListBasesAsync(string clientId, CancellationToken ct) =>
        (await Leads.QueryAsync(
            new QueryDefinition($"SELECT * FROM c WHERE c.clientId = @clientId AND c.type = '{BaseType}'").WithParameter("@clientId", clientId),
            clientId,
            ct))
        .Select(MapBase)
        .OrderBy(b => b.CreatedAt).ThenBy(b => b.Id, StringComparer.Ordinal)
        .ToList();

    public async Task<bool> DeleteBaseAsync(string clientId, string id, CancellationToken ct)
    {
        await DeleteSourcesAsync(clientId, id, ct);
        return await Leads.TryDeleteAsync(BaseDocId(id), clientId, ct);
    }

    public async Task UpsertSourceAsync(KnowledgeSource s, CancellationToken ct)
    {
        var doc = new JsonObject
        {
            ["id"] = SourceDocId(s.KnowledgeBaseId, s.Id),
            ["type"] = SourceType,
            ["clientId"] = s.ClientId,
            ["baseId"] = s.KnowledgeBaseId,
            ["sourceId"] = s.Id,
            ["kind"] = s.Kind.ToWire(),
            ["title"] = s.Title,
            ["contentType"] = s.ContentType,
            ["content"] = s.Content,
            ["status"] = s.Status.ToWire(),
            ["chunkCount"] = s.ChunkCount,
            ["tokenCount"] = s.TokenCount,
            ["error"] = s.Error,
            ["createdAtMs"] = s.CreatedAt.Ms(),
            ["updatedAtMs"] = s.UpdatedAt.Ms(),
        };

        // Same id replaces, but the first creation time stays (as SQLite's ON CONFLICT keeps created_at).
        if (await ReadSourceDocAsync(s.ClientId, s.KnowledgeBaseId, s.Id, ct) is { } existing && existing["createdAtMs"] is { } created)
        {
            doc["createdAtMs"] = created.DeepClone();
        }

        await Leads.UpsertItemAsync(doc, new PartitionKey(s.ClientId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
        await TouchAsync(s.ClientId, s.KnowledgeBaseId, s.UpdatedAt, ct);
    }

    public async Task<KnowledgeSource?> GetSourceAsync(string clientId, string knowledgeBaseId, string id, CancellationToken ct) =>
        await ReadSourceDocAsync(clientId, knowledgeBaseId, id, ct) is { } doc ? MapSource(doc) : null;

    /// <summary>A keyset filter on (createdAtMs, sourceId), served by the leads container's composite index.</summary>
    public async Task<Page<KnowledgeSource>> ListSourcesAsync(string clientId, string knowledgeBaseId, PagePosition? after, int limit, CancellationToken ct)
    {
        var query = new QueryDefinition(
                $"SELECT TOP {limit + 1} {SourceListColumns} FROM c WHERE c.clientId = @clientId AND c.type = '{SourceType}' AND c.baseId = @baseId"
                + " AND (c.createdAtMs < @at OR (c.createdAtMs = @at AND c.sourceId < @id)) ORDER BY c.createdAtMs DESC, c.sourceId DESC")
            .WithParameter("@clientId", clientId)
            .WithParameter("@baseId", knowledgeBaseId)
            .WithParameter("@at", after?.Key ?? long.MaxValue)
            .WithParameter("@id", after?.Id ?? "");
        var sources = (await Leads.QueryAsync(query, clientId, ct, limit + 1))
            .Select(MapSource)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        return Page<KnowledgeSource>.From(sources, limit, s => new PagePosition(s.CreatedAt.Ms(), s.Id));
    }

    public async Task<bool> SetStatusAsync(string clientId, string knowledgeBaseId, string id, DateTimeOffset expectedUpdatedAt, IngestStatus status, int chunks, int tokens, string? error, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxGuardedAttempts; attempt++)
        {
            var doc = await ReadSourceDocAsync(clientId, knowledgeBaseId, id, ct);
            if (doc is null || doc["updatedAtMs"]?.GetValue<long>() != expectedUpdatedAt.Ms())
            {
                return false;
            }

            var etag = CosmosDocuments.ETagOf(doc);
            doc.Remove("_etag");
            doc["status"] = status.ToWire();
            doc["chunkCount"] = chunks;
            doc["tokenCount"] = tokens;
            doc["error"] = error;
            try
            {
                await Leads.ReplaceGuardedAsync(doc, clientId, etag, "Knowledge source", ct);
                return true;
            }
            catch (ConcurrencyException)
            {
                // Changed meanwhile (another status or a new import): look again; a new import fails the guard above.
            }
        }

        throw new ConcurrencyException($"Knowledge source '{id}' kept changing; status not recorded.");
    }

    public async Task<int> ClearBaseAsync(string clientId, string knowledgeBaseId, CancellationToken ct)
    {
        var removed = await DeleteSourcesAsync(clientId, knowledgeBaseId, ct);
        await TouchAsync(clientId, knowledgeBaseId, DateTimeOffset.UtcNow, ct);
        return removed;
    }

    public async Task<KnowledgeStats> GetStatsAsync(string clientId, string knowledgeBaseId, CancellationToken ct)
    {
        var rows = await QuerySourcesAsync("c.kind, c.status, c.chunkCount, c.tokenCount", clientId, knowledgeBaseId, ct);
        int documents = 0, faqs = 0, chunkTotal = 0, tokenTotal = 0, pending = 0, failed = 0;
        foreach (var row in rows)
        {
            var kind = row.String("kind");
            documents += kind == "document" ? 1 : 0;
            faqs += kind == "faq" ? 1 : 0;
            chunkTotal += Int(row, "chunkCount");
            tokenTotal += Int(row, "tokenCount");
            var status = row.String("status");
            pending += status is "pending" or "ingesting" ? 1 : 0;
            failed += status == "failed" ? 1 : 0;
        }

        var lastUpdate = await ReadBaseDocAsync(clientId, knowledgeBaseId, ct) is { } b ? Time(b, "updatedAtMs") : (DateTimeOffset?)null;
        return new KnowledgeStats(documents, faqs, chunkTotal, tokenTotal, pending, failed, lastUpdate);
    }

    /// <summary>
    /// Three aggregates in the client's partition, each answered from the index (type, kind and chunkCount are indexed;
    /// no document is loaded): the quota check runs before every import.
    /// </summary>
    public async Task<KnowledgeUsage> GetUsageAsync(string clientId, CancellationToken ct)
    {
        var bases = await ScalarAsync($"SELECT VALUE COUNT(1) FROM c WHERE c.clientId = @clientId AND c.type = '{BaseType}'", clientId, ct);
        var documents = await ScalarAsync($"SELECT VALUE COUNT(1) FROM c WHERE c.clientId = @clientId AND c.type = '{SourceType}' AND c.kind = 'document'", clientId, ct);
        var chunks = await ScalarAsync($"SELECT VALUE SUM(c.chunkCount) FROM c WHERE c.clientId = @clientId AND c.type = '{SourceType}'", clientId, ct);
        return new KnowledgeUsage((int)bases, (int)documents, chunks);
    }

    /// <summary>A single-partition aggregate; an aggregate over no documents (SUM of nothing is undefined) is 0.</summary>
    private async Task<long> ScalarAsync(string sql, string clientId, CancellationToken ct)
    {
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(clientId), EnableOptimisticDirectExecution = true };
        using var iterator = Leads.GetItemQueryIterator<long?>(new QueryDefinition(sql).WithParameter("@clientId", clientId), requestOptions: options);
        long total = 0;
        while (iterator.HasMoreResults)
        {
            foreach (var value in await iterator.ReadNextAsync(ct))
            {
                total += value ?? 0;
            }
        }

        return total;
    }

    /// <summary>The base's update time is the last change to any of its sources ("last update" in stats); it never moves back. No base: nothing to touch.</summary>
    private async Task TouchAsync(string clientId, string knowledgeBaseId, DateTimeOffset at, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxGuardedAttempts; attempt++)
        {
            var doc = await ReadBaseDocAsync(clientId, knowledgeBaseId, ct);
            if (doc is null || doc["updatedAtMs"]!.GetValue<long>() >= at.Ms())
            {
                return;
            }

            var etag = CosmosDocuments.ETagOf(doc);
            doc.Remove("_etag");
            doc["updatedAtMs"] = at.Ms();
            try
            {
                await Leads.ReplaceGuardedAsync(doc, clientId, etag, "Knowledge base", ct);
                return;
            }
            catch (ConcurrencyException)
            {
                // Another writer touched or deleted it meanwhile: read again.
            }
        }
    }

    private async Task<int> DeleteSourcesAsync(string clientId, string knowledgeBaseId, CancellationToken ct)
    {
        var removed = 0;
        foreach (var doc in await QuerySourcesAsync("c.id", clientId, knowledgeBaseId, ct))
        {
            removed += await Leads.TryDeleteAsync(doc.String("id")!, clientId, ct) ? 1 : 0;
        }

        return removed;
    }

    private Task<List<JsonObject>> QuerySourcesAsync(string columns, string clientId, string knowledgeBaseId, CancellationToken ct) =>
        Leads.QueryAsync(
            new QueryDefinition($"SELECT {columns} FROM c WHERE c.clientId = @clientId AND c.type = '{SourceType}' AND c.baseId = @baseId")
                .WithParameter("@clientId", clientId)
                .WithParameter("@baseId", knowledgeBaseId),
            clientId,
            ct);

    private async Task<JsonObject?> ReadBaseDocAsync(string clientId, string id, CancellationToken ct) =>
        await Leads.ReadOrNullAsync(BaseDocId(id), clientId, ct) is { } doc
        && doc.String("type") == BaseType && doc.String("clientId") == clientId && doc.String("baseId") == id
            ? doc
            : null;

    private async Task<JsonObject?> ReadSourceDocAsync(string clientId, string knowledgeBaseId, string id, CancellationToken ct) =>
        await Leads.ReadOrNullAsync(SourceDocId(knowledgeBaseId, id), clientId, ct) is { } doc
        && doc.String("type") == SourceType && doc.String("clientId") == clientId && doc.String("baseId") == knowledgeBaseId && doc.String("sourceId") == id
            ? doc
            : null;

    private static KnowledgeBase MapBase(JsonObject d) =>
        new(d.String("clientId")!, d.String("baseId")!, d.String("name")!, NullableString(d, "description"), Time(d, "createdAtMs"), Time(d, "updatedAtMs"));

    /// <summary>A source from a document or a projection; without <c>content</c> (a list) the content is empty, as in SQLite's list.</summary>
    private static KnowledgeSource MapSource(JsonObject d) => new(
        d.String("clientId")!,
        d.String("baseId")!,
        d.String("sourceId")!,
        KnowledgeWire.ParseKind(d.String("kind")!),
        NullableString(d, "title"),
        d.String("contentType")!,
        NullableString(d, "content") ?? "",
        KnowledgeWire.ParseStatus(d.String("status")!),
        Int(d, "chunkCount"),
        Int(d, "tokenCount"),
        NullableString(d, "error"),
        Time(d, "createdAtMs"),
        Time(d, "updatedAtMs"));

    private static string? NullableString(JsonObject d, string property) =>
        d[property] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;

    private static int Int(JsonObject d, string property) => d[property] is JsonValue v ? v.GetValue<int>() : 0;

    private static DateTimeOffset Time(JsonObject d, string property) => DateTimeOffset.FromUnixTimeMilliseconds(d[property]!.GetValue<long>());
}

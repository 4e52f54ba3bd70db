using Microsoft.Data.Sqlite;
using SalesFlow.Core.Common;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Infrastructure.Embedded.Knowledge;

/// <summary>Bases and sources in the embedded SQLite file; every statement filters by client id.</summary>
public sealed class SqliteKnowledgeStore : IKnowledgeStore
{
    private const string SourceColumns = "client_id, base_id, id, kind, title, content_type, content, status, chunk_count, token_count, error, created_at, updated_at";
    private readonly SqliteDatabase _db;

    public SqliteKnowledgeStore(SqliteDatabase db)
    {
        _db = db;
        SqliteKnowledgeSchema.Ensure(db);
    }

    public Task CreateBaseAsync(KnowledgeBase b, CancellationToken ct) =>
        _db.WriteAsync((c, t) => c.Command(
            "INSERT INTO knowledge_bases (client_id, id, name, description, created_at, updated_at) VALUES ($c, $id, $name, $description, $created, $updated)",
            t, ("$c", b.ClientId), ("$id", b.Id), ("$name", b.Name), ("$description", b.Description), ("$created", b.CreatedAt.Ms()), ("$updated", b.UpdatedAt.Ms())).ExecAsync(), ct);

    public async Task<KnowledgeBase?> GetBaseAsync(string clientId, string id, CancellationToken ct) =>
        (await _db.ReadAsync(c => c.Command("SELECT * FROM knowledge_bases WHERE client_id = $c AND id = $id", null, ("$c", clientId), ("$id", id)).QueryAsync(MapBase))).FirstOrDefault();

    public async Task<IReadOnlyList<KnowledgeBase>> ListBasesAsync(string clientId, CancellationToken ct) =>
        await _db.ReadAsync(c => c.Command("SELECT * FROM knowledge_bases WHERE client_id = $c ORDER BY created_at, id", null, ("$c", clientId)).QueryAsync(MapBase));

    public Task<bool> DeleteBaseAsync(string clientId, string id, CancellationToken ct) =>
        _db.WriteAsync(async (c, t) =>
        {
            await c.Command("DELETE FROM knowledge_sources WHERE client_id = $c AND base_id = $id", t, ("$c", clientId), ("$id", id)).ExecAsync();
            return await c.Command("DELETE FROM knowledge_bases WHERE client_id = $c AND id = $id", t, ("$c", clientId), ("$id", id)).ExecAsync() > 0;
        }, ct);

    public Task UpsertSourceAsync(KnowledgeSource s, CancellationToken ct) =>
        _db.WriteAsync(async (c, t) =>
        {
            await c.Command(
                $"""
                INSERT INTO knowledge_sources ({SourceColumns})
                VALUES ($c, $b, $id, $kind, $title, $type, $content, $status, $chunks, $tokens, $error, $created, $updated)
                ON CONFLICT (client_id, base_id, id) DO UPDATE SET
                    kind = excluded.kind, title = excluded.title, content_type = excluded.content_type, content = excluded.content,
                    status = excluded.status, chunk_count = excluded.chunk_count, token_count = excluded.token_count,
                    error = excluded.error, updated_at = excluded.updated_at
                """,
                t, ("$c", s.ClientId), ("$b", s.KnowledgeBaseId), ("$id", s.Id), ("$kind", s.Kind.ToWire()), ("$title", s.Title), ("$type", s.ContentType),
                ("$content", s.Content), ("$status", s.Status.ToWire()), ("$chunks", s.ChunkCount), ("$tokens", s.TokenCount), ("$error", s.Error),
                ("$created", s.CreatedAt.Ms()), ("$updated", s.UpdatedAt.Ms())).ExecAsync();
            await TouchAsync(c, t, s.ClientId, s.KnowledgeBaseId, s.UpdatedAt);
        }, ct);

    public async Task<KnowledgeSource?> GetSourceAsync(string clientId, string knowledgeBaseId, string id, CancellationToken ct) =>
        (await _db.ReadAsync(c => c.Command($"SELECT {SourceColumns} FROM knowledge_sources WHERE client_id = $c AND base_id = $b AND id = $id", null, ("$c", clientId), ("$b", knowledgeBaseId), ("$id", id)).QueryAsync(MapSource))).FirstOrDefault();

    public async Task<Page<KnowledgeSource>> ListSourcesAsync(string clientId, string knowledgeBaseId, PagePosition? after, int limit, CancellationToken ct)
    {
        var (sql, parameters) = SourcesPageQuery(clientId, knowledgeBaseId, after, limit);
        var sources = await _db.ReadAsync(c => c.Command(sql, null, parameters).QueryAsync(MapSource));
        return Page<KnowledgeSource>.From(sources, limit, s => new PagePosition(s.CreatedAt.Ms(), s.Id));
    }

    /// <summary>The statement behind <see cref="ListSourcesAsync"/>: a keyset seek on the (client, base, created, id) index, without the content.</summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) SourcesPageQuery(string clientId, string knowledgeBaseId, PagePosition? after, int limit) =>
        ($"""
          SELECT {SourceColumns.Replace("content,", "'' AS content,", StringComparison.Ordinal)} FROM knowledge_sources
          WHERE client_id = $c AND base_id = $b AND (created_at, id) < ($at, $id)
          ORDER BY created_at DESC, id DESC LIMIT $limit
          """,
            [("$c", clientId), ("$b", knowledgeBaseId), ("$at", after?.Key ?? long.MaxValue), ("$id", after?.Id ?? ""), ("$limit", limit + 1)]);

    public Task<bool> SetStatusAsync(string clientId, string knowledgeBaseId, string id, DateTimeOffset expectedUpdatedAt, IngestStatus status, int chunks, int tokens, string? error, CancellationToken ct) =>
        _db.WriteAsync(async (c, t) => await c.Command(
            "UPDATE knowledge_sources SET status = $status, chunk_count = $chunks, token_count = $tokens, error = $error WHERE client_id = $c AND base_id = $b AND id = $id AND updated_at = $expected",
            t, ("$status", status.ToWire()), ("$chunks", chunks), ("$tokens", tokens), ("$error", error), ("$c", clientId), ("$b", knowledgeBaseId), ("$id", id), ("$expected", expectedUpdatedAt.Ms())).ExecAsync() > 0, ct);

    public Task<int> ClearBaseAsync(string clientId, string knowledgeBaseId, CancellationToken ct) =>
        _db.WriteAsync(async (c, t) =>
        {
            var removed = await c.Command("DELETE FROM knowledge_sources WHERE client_id = $c AND base_id = $b", t, ("$c", clientId), ("$b", knowledgeBaseId)).ExecAsync();
            await TouchAsync(c, t, clientId, knowledgeBaseId, DateTimeOffset.UtcNow);
            return removed;
        }, ct);

    public Task<KnowledgeStats> GetStatsAsync(string clientId, string knowledgeBaseId, CancellationToken ct) =>
        _db.ReadAsync(async c => (await c.Command(
            """
            SELECT
                COALESCE(SUM(kind = 'document'), 0) AS documents, COALESCE(SUM(kind = 'faq'), 0) AS faqs,
                COALESCE(SUM(chunk_count), 0) AS chunks, COALESCE(SUM(token_count), 0) AS tokens,
                COALESCE(SUM(status IN ('pending', 'ingesting')), 0) AS pending, COALESCE(SUM(status = 'failed'), 0) AS failed,
                (SELECT updated_at FROM knowledge_bases WHERE client_id = $c AND id = $b) AS last_update
            FROM knowledge_sources WHERE client_id = $c AND base_id = $b
            """, null, ("$c", clientId), ("$b", knowledgeBaseId)).QueryAsync(r => new KnowledgeStats(
                r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.NullableTime("last_update")))).Single());

    public Task<KnowledgeUsage> GetUsageAsync(string clientId, CancellationToken ct) =>
        _db.ReadAsync(async c => (await c.Command(UsageSql, null, ("$c", clientId))
            .QueryAsync(r => new KnowledgeUsage(r.GetInt32(0), r.GetInt32(1), r.GetInt64(2)))).Single());

    /// <summary>
    /// The quota check's counts, each from an index alone: the bases' primary key and ix_knowledge_sources_usage,
    /// which carries kind and chunk count so that no source row (and none of its content's overflow pages) is read.
    /// </summary>
    internal const string UsageSql = """
        SELECT
            (SELECT COUNT(*) FROM knowledge_bases WHERE client_id = $c),
            (SELECT COUNT(*) FROM knowledge_sources WHERE client_id = $c AND kind = 'document'),
            (SELECT COALESCE(SUM(chunk_count), 0) FROM knowledge_sources WHERE client_id = $c)
        """;

    /// <summary>The base's update time is the last change to any of its sources ("last update" in stats).</summary>
    private static Task<int> TouchAsync(SqliteConnection c, SqliteTransaction t, string clientId, string knowledgeBaseId, DateTimeOffset at) =>
        c.Command("UPDATE knowledge_bases SET updated_at = MAX(updated_at, $at) WHERE client_id = $c AND id = $b", t, ("$at", at.Ms()), ("$c", clientId), ("$b", knowledgeBaseId)).ExecAsync();

    private static KnowledgeBase MapBase(SqliteDataReader r) =>
        new(r.GetString(r.GetOrdinal("client_id")), r.GetString(r.GetOrdinal("id")), r.GetString(r.GetOrdinal("name")), r.NullableString("description"), r.Time("created_at"), r.Time("updated_at"));

    private static KnowledgeSource MapSource(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), KnowledgeWire.ParseKind(r.GetString(3)), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5), r.GetString(6),
        KnowledgeWire.ParseStatus(r.GetString(7)), r.GetInt32(8), r.GetInt32(9), r.IsDBNull(10) ? null : r.GetString(10), r.Time("created_at"), r.Time("updated_at"));
}

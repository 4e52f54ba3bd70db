using System.Runtime.InteropServices;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Infrastructure.Embedded.Knowledge;

/// <summary>
/// The embedded index: chunks and their vectors in SQLite, keywords in FTS5 (BM25), vectors held in
/// memory per client and base (loaded on first search, dropped on any write to that base, and, when the
/// cache would exceed its byte budget, dropped least recently searched first), and the two rankings fused
/// by reciprocal rank fusion. Every query filters by client id.
/// </summary>
public sealed class SqliteKnowledgeIndex : IKnowledgeIndex
{
    /// <summary>The usual RRF constant: damps the head of each list so neither ranking dominates.</summary>
    private const int RrfK = 60;

    /// <summary>
    /// The vector list counts half in the fusion: the hashed embedder knows no word rarity (BM25's IDF
    /// does), and at equal weight it pulled hybrid below BM25 on the evaluation set (docs/benchmarks.md).
    /// </summary>
    private const double VectorWeight = 0.5;

    /// <summary>Bound on the rows one keyword query scores (see <see cref="SelectiveTermsAsync"/>).</summary>
    internal const int MaxKeywordRows = 2000;

    private readonly SqliteDatabase _db;
    private readonly long _cacheBudgetBytes;
    private readonly object _gate = new();

    /// <summary>Cached slabs by (client, base); each node sits in <see cref="_recency"/>. Guarded by <see cref="_gate"/>.</summary>
    private readonly Dictionary<(string Client, string Base), LinkedListNode<CachedSlab>> _slabs = [];

    /// <summary>The cached slabs, most recently searched first: eviction takes from the end. Guarded by <see cref="_gate"/>.</summary>
    private readonly LinkedList<CachedSlab> _recency = new();

    private readonly Dictionary<(string Client, string Base), long> _versions = [];
    private long _cachedBytes;

    /// <param name="db">The SQLite file holding the chunks.</param>
    /// <param name="vectorCacheBytes">
    /// Most bytes of vectors kept between searches over all clients (Knowledge:VectorCacheMegabytes): many tenants on
    /// one process would otherwise keep every base they ever searched.
    /// </param>
    public SqliteKnowledgeIndex(SqliteDatabase db, long vectorCacheBytes = 512L * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vectorCacheBytes);
        _db = db;
        _cacheBudgetBytes = vectorCacheBytes;
        SqliteKnowledgeSchema.Ensure(db);
    }

    public async Task ReplaceSourceAsync(ChunkSource source, IReadOnlyList<IndexedChunk> chunks, CancellationToken ct)
    {
        await _db.WriteAsync(async (c, t) =>
        {
            await DeleteAsync(c, t, "base_id = $b AND source_id = $s", source.ClientId, ("$b", source.KnowledgeBaseId), ("$s", source.SourceId));
            await using var insert = c.Command(
                "INSERT INTO knowledge_chunks (client_id, base_id, source_id, kind, title, ordinal, text, tokens, vector) VALUES ($c, $b, $s, $kind, $title, $ordinal, $text, $tokens, $vector) RETURNING id",
                t, ("$c", source.ClientId), ("$b", source.KnowledgeBaseId), ("$s", source.SourceId), ("$kind", source.Kind.ToWire()), ("$title", source.Title), ("$ordinal", 0), ("$text", ""), ("$tokens", 0));
            var vector = insert.Parameters.Add("$vector", Microsoft.Data.Sqlite.SqliteType.Blob);
            await using var fts = c.Command("INSERT INTO knowledge_fts (rowid, terms) VALUES ($id, $terms)", t, ("$id", 0L), ("$terms", ""));
            foreach (var chunk in chunks)
            {
                insert.Parameters["$ordinal"].Value = chunk.Ordinal;
                insert.Parameters["$text"].Value = chunk.Text;
                insert.Parameters["$tokens"].Value = chunk.Tokens;
                vector.Value = MemoryMarshal.AsBytes(chunk.Vector.Span).ToArray();
                var id = (long)(await insert.ExecuteScalarAsync(ct))!;
                fts.Parameters["$id"].Value = id;
                fts.Parameters["$terms"].Value = SqliteKnowledgeSchema.IndexTerms(source.Title, chunk.Text);
                await fts.ExecuteNonQueryAsync(ct);
            }
        }, ct);
        Invalidate(source.ClientId, source.KnowledgeBaseId);
    }

    public async Task DeleteSourceAsync(string clientId, string knowledgeBaseId, string sourceId, CancellationToken ct)
    {
        await _db.WriteAsync((c, t) => DeleteAsync(c, t, "base_id = $b AND source_id = $s", clientId, ("$b", knowledgeBaseId), ("$s", sourceId)), ct);
        Invalidate(clientId, knowledgeBaseId);
    }

    public async Task DeleteBaseAsync(string clientId, string knowledgeBaseId, CancellationToken ct)
    {
        await _db.WriteAsync((c, t) => DeleteAsync(c, t, "base_id = $b", clientId, ("$b", knowledgeBaseId)), ct);
        Invalidate(clientId, knowledgeBaseId);
    }

    public async Task<IReadOnlyList<IndexHit>> SearchAsync(IndexQuery query, CancellationToken ct)
    {
        var bases = query.KnowledgeBaseIds ?? await BasesOfAsync(query.ClientId);
        if (bases.Count == 0 || query.Top <= 0)
        {
            return [];
        }

        // Each list reaches deeper than the answer so that fusion has material to work with.
        var depth = Math.Max(query.Top * 4, 40);
        var slabs = new List<VectorSlab>();
        foreach (var b in bases)
        {
            slabs.Add(await SlabAsync(query.ClientId, b));
        }

        // The vector scan (CPU and memory bound) runs on another core while SQLite answers the keyword query.
        var vectorTask = query.Mode == SearchMode.Keyword
            ? Task.FromResult(new List<(long Id, float Score)>())
            : Task.Run(() => slabs.SelectMany(s => s.Top(query.Vector.Span, depth)).OrderByDescending(h => h.Score).Take(depth).ToList(), ct);
        List<(long Id, double Bm25)> byKeyword = query.Mode == SearchMode.Vector ? [] : await KeywordAsync(query.ClientId, bases, query.Text, depth);
        List<(long Id, float Score)> byVector = await vectorTask;

        List<(long Id, double Score)> ranked;
        switch (query.Mode)
        {
            case SearchMode.Vector:
                ranked = byVector.Take(query.Top).Select(h => (h.Id, (double)h.Score)).ToList();
                break;
            case SearchMode.Keyword:
                // BM25 is unbounded; s/(s+k) maps it to 0..1 monotonically so a threshold can be set.
                ranked = byKeyword.Take(query.Top).Select(h => (h.Id, -h.Bm25 / (-h.Bm25 + 5.0))).ToList();
                break;
            default:
                var fused = new Dictionary<long, double>();
                for (var i = 0; i < byVector.Count; i++)
                {
                    fused[byVector[i].Id] = VectorWeight / (RrfK + i + 1);
                }

                for (var i = 0; i < byKeyword.Count; i++)
                {
                    fused[byKeyword[i].Id] = fused.GetValueOrDefault(byKeyword[i].Id) + (1.0 / (RrfK + i + 1));
                }

                // Ranked by fusion; the score shown (and thresholded) is absolute, so one threshold holds across queries.
                var known = byVector.ToDictionary(h => h.Id, h => (double)h.Score);
                ranked = fused.OrderByDescending(f => f.Value).Take(query.Top)
                    .Select(f => (f.Key, known.TryGetValue(f.Key, out var s) ? s : slabs.Select(slab => slab.Score(f.Key, query.Vector.Span)).FirstOrDefault(x => x is not null) ?? 0))
                    .ToList();
                var queryWords = TextTerms.Words(query.Text).Distinct().ToList();
                return (await LoadHitsAsync(query.ClientId, ranked)).Select(h => h with { Score = HybridScore(h.Score, TextTerms.Coverage(queryWords, (h.Source.Title ?? "") + " " + h.Text)) }).ToList();
        }

        return await LoadHitsAsync(query.ClientId, ranked);
    }

    /// <summary>
    /// Hybrid relevance: the mean of the cosine and the share of the query's content words found in
    /// the passage. A short FAQ ("When are you open?") has a low cosine to a wordier question that
    /// still names its words; an unrelated question shares almost no words with any passage.
    /// </summary>
    internal static double HybridScore(double cosine, double coverage) => (Math.Max(0, cosine) + coverage) / 2;

    /// <summary>How many bases' vectors are held in memory (for tests and diagnostics).</summary>
    internal int CachedSlabs
    {
        get
        {
            lock (_gate)
            {
                return _slabs.Count;
            }
        }
    }

    /// <summary>The bytes the cached slabs hold (<see cref="VectorSlab.Bytes"/>); never above the budget.</summary>
    internal long CachedBytes
    {
        get
        {
            lock (_gate)
            {
                return _cachedBytes;
            }
        }
    }

    /// <summary>The cached (client, base) keys, most recently searched first (for tests and diagnostics).</summary>
    internal IReadOnlyList<(string Client, string Base)> CachedBases
    {
        get
        {
            lock (_gate)
            {
                return _recency.Select(c => c.Key).ToList();
            }
        }
    }

    /// <summary>The chunk's terms as the search sees them; the title is searchable too ("Refund policy" finds its chunks).</summary>
    private static async Task DeleteAsync(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, string where, string clientId, params (string, object?)[] parameters)
    {
        var all = parameters.Append(("$c", clientId)).ToArray();
        await c.Command($"DELETE FROM knowledge_fts WHERE rowid IN (SELECT id FROM knowledge_chunks WHERE client_id = $c AND {where})", t, all).ExecAsync();
        await c.Command($"DELETE FROM knowledge_chunks WHERE client_id = $c AND {where}", t, all).ExecAsync();
    }

    /// <summary>
    /// The client's bases that have chunks, from the index's own table: the bases themselves may live in another store
    /// (SalesFlow:Store=cosmos), and, as in Azure AI Search, "every base" means every chunk of the client.
    /// </summary>
    private async Task<List<string>> BasesOfAsync(string clientId) =>
        await _db.ReadAsync(c => c.Command(DistinctBasesSql, null, ("$c", clientId)).QueryAsync(r => r.GetString(0)));

    /// <summary>
    /// The client's distinct base ids by skipping through the (client, base, source) index, one seek per base. A plain
    /// SELECT DISTINCT reads every index entry of the client (~10 ms at 100,000 chunks), and every reply's retrieval
    /// searches all of the client's bases.
    /// </summary>
    internal const string DistinctBasesSql = """
        WITH RECURSIVE bases(id) AS (
            SELECT MIN(base_id) FROM knowledge_chunks WHERE client_id = $c
            UNION ALL
            SELECT (SELECT MIN(base_id) FROM knowledge_chunks WHERE client_id = $c AND base_id > bases.id) FROM bases WHERE bases.id IS NOT NULL)
        SELECT id FROM bases WHERE id IS NOT NULL
        """;

    private async Task<List<(long Id, double Bm25)>> KeywordAsync(string clientId, IReadOnlyList<string> bases, string text, int depth)
    {
        var words = TextTerms.Words(text).Distinct().Take(32).ToList();
        if (words.Count == 0)
        {
            return [];
        }

        return await _db.ReadAsync(async c =>
        {
            // The default 2 MB page cache cannot hold the full-text index of a large base; pooled connections keep this one.
            await c.Command("PRAGMA cache_size = -65536").ExecAsync();
            var terms = await SelectiveTermsAsync(c, words);
            if (terms.Count == 0)
            {
                return [];
            }

            // Tenant isolation is the join's filter on client and base; the full-text match sees terms only.
            var baseParameters = bases.Select((b, i) => ($"$b{i}", (object?)b)).ToList();
            var match = string.Join(" OR ", terms.Select(t => '"' + t + '"'));
            return await c.Command(
                $"""
                SELECT k.id, f.rank FROM knowledge_fts f JOIN knowledge_chunks k ON k.id = f.rowid
                WHERE knowledge_fts MATCH $match AND k.client_id = $c AND k.base_id IN ({string.Join(", ", baseParameters.Select(p => p.Item1))})
                ORDER BY f.rank LIMIT $depth
                """, null, [("$match", match), ("$c", clientId), ("$depth", depth), .. baseParameters]).QueryAsync(r => (r.GetInt64(0), r.GetDouble(1)));
        });
    }

    /// <summary>
    /// The query terms worth matching, rarest first, while the rows they match stay within
    /// <see cref="MaxKeywordRows"/> (the rarest term always counts). BM25 must score every row a term
    /// matches; a term found in a large share of the chunks costs the most and weighs the least
    /// (its IDF is near zero), so it is left out like a stop word. Document counts are over all tenants
    /// together: an estimate of cost, never part of a result.
    /// </summary>
    private static async Task<List<string>> SelectiveTermsAsync(Microsoft.Data.Sqlite.SqliteConnection c, List<string> words)
    {
        // Counting stops at the budget, so a common term costs no more than the budget to count
        // (the fts5vocab table would scan whole doclists, or the whole index for several terms).
        var counts = new List<(string Term, long Docs)>();
        await using var count = c.Command("SELECT COUNT(*) FROM (SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH $term LIMIT $cap)", null, ("$term", ""), ("$cap", MaxKeywordRows + 1));
        foreach (var word in words)
        {
            count.Parameters["$term"].Value = '"' + word + '"';
            var docs = (long)(await count.ExecuteScalarAsync())!;
            if (docs > 0)
            {
                counts.Add((word, docs));
            }
        }

        var chosen = new List<string>();
        long rows = 0;
        foreach (var (term, docs) in counts.OrderBy(t => t.Docs))
        {
            if (chosen.Count > 0 && rows + docs > MaxKeywordRows)
            {
                break;
            }

            chosen.Add(term);
            rows += docs;
        }

        return chosen;
    }

    /// <summary>
    /// The chunks behind the ranked ids, of client $c only. The unary plus keeps SQLite on the primary key: left to
    /// itself it walks the client's source index (every chunk of the client, ~10 ms at 100,000 chunks) to find five
    /// rows. The client check still applies to each row.
    /// </summary>
    internal static string HitsSql(IEnumerable<long> ids) =>
        $"SELECT id, base_id, source_id, kind, title, ordinal, text FROM knowledge_chunks WHERE id IN ({string.Join(',', ids)}) AND +client_id = $c";

    private async Task<List<IndexHit>> LoadHitsAsync(string clientId, List<(long Id, double Score)> ranked)
    {
        if (ranked.Count == 0)
        {
            return [];
        }

        var rows = await _db.ReadAsync(c => c.Command(HitsSql(ranked.Select(r => r.Id)), null, ("$c", clientId))
            .QueryAsync(r => (Id: r.GetInt64(0), Hit: new IndexHit(
                new ChunkSource(clientId, r.GetString(1), r.GetString(2), KnowledgeWire.ParseKind(r.GetString(3)), r.IsDBNull(4) ? null : r.GetString(4)), r.GetInt32(5), r.GetString(6), 0))));
        var byId = rows.ToDictionary(r => r.Id, r => r.Hit);
        return ranked.Where(r => byId.ContainsKey(r.Id)).Select(r => byId[r.Id] with { Score = Math.Clamp(r.Score, 0, 1) }).ToList();
    }

    private async Task<VectorSlab> SlabAsync(string clientId, string knowledgeBaseId)
    {
        var key = (clientId, knowledgeBaseId);
        long version;
        lock (_gate)
        {
            if (_slabs.TryGetValue(key, out var cached))
            {
                _recency.Remove(cached);
                _recency.AddFirst(cached);
                return cached.Value.Slab;
            }

            version = _versions.GetValueOrDefault(key);
        }

        var ids = new List<long>();
        var data = new List<float>();
        var dimensions = 0;
        await _db.ReadAsync(async c =>
        {
            await using var command = c.Command("SELECT id, vector FROM knowledge_chunks WHERE client_id = $c AND base_id = $b ORDER BY id", null, ("$c", clientId), ("$b", knowledgeBaseId));
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var bytes = (byte[])reader.GetValue(1);
                var vector = MemoryMarshal.Cast<byte, float>(bytes);
                if (dimensions == 0)
                {
                    dimensions = vector.Length;
                }

                // A vector of another width (the embedder changed) cannot be compared; it waits for a re-ingest.
                if (vector.Length == dimensions)
                {
                    ids.Add(reader.GetInt64(0));
                    data.AddRange(vector);
                }
            }

            return true;
        });

        var slab = new VectorSlab(dimensions, ids, data.ToArray());
        lock (_gate)
        {
            // A write that landed while this was loading made it stale: use it once, do not keep it. A slab larger than
            // the whole budget is used for this search only: keeping it would evict everything else and still not fit.
            if (_versions.GetValueOrDefault(key) == version && slab.Bytes <= _cacheBudgetBytes)
            {
                Keep(key, slab);
            }
        }

        return slab;
    }

    /// <summary>Caches the slab as the most recently used and evicts from the least recently used end until the budget holds. Under <see cref="_gate"/>.</summary>
    private void Keep((string Client, string Base) key, VectorSlab slab)
    {
        // Two searches may load the same base at once; the later one replaces the earlier (same version, same vectors).
        Forget(key);
        _slabs[key] = _recency.AddFirst(new CachedSlab(key, slab));
        _cachedBytes += slab.Bytes;
        while (_cachedBytes > _cacheBudgetBytes && _recency.Last is { } oldest)
        {
            Forget(oldest.Value.Key);
        }
    }

    /// <summary>Drops a cached slab if there is one. Under <see cref="_gate"/>.</summary>
    private void Forget((string Client, string Base) key)
    {
        if (_slabs.Remove(key, out var node))
        {
            _recency.Remove(node);
            _cachedBytes -= node.Value.Slab.Bytes;
        }
    }

    private void Invalidate(string clientId, string knowledgeBaseId)
    {
        lock (_gate)
        {
            var key = (clientId, knowledgeBaseId);
            _versions[key] = _versions.GetValueOrDefault(key) + 1;
            Forget(key);
        }
    }

    private sealed record CachedSlab((string Client, string Base) Key, VectorSlab Slab);
}

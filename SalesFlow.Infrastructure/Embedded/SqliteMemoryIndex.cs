using System.Collections.Concurrent;
using SalesFlow.Core.Memory;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Vectors in <c>memory_vectors</c> as float blobs, scored by brute-force cosine. Reading 10,000 blobs per turn would
/// dominate context assembly, so each lead's vectors are cached in memory and only rows added since are read; two
/// index seeks (min and max row id of the lead) tell whether the cache is current, also after an erasure (a
/// re-created lead's rows start at a new min id). One process owns the data directory, so no other writer exists.
/// </summary>
public sealed class SqliteMemoryIndex(SqliteDatabase db) : IMemoryIndex
{
    private const int CachedLeads = 256;

    private readonly ConcurrentDictionary<(string ClientId, string LeadId), LeadVectors> _cache = new();

    /// <summary>Drops the lead's cached texts and vectors (after an erasure: nothing of the lead stays in memory either).</summary>
    public void Forget(string clientId, string leadId) => _cache.TryRemove((clientId, leadId), out _);

    /// <summary>Whether the lead's vectors are held in memory (for tests).</summary>
    internal bool Holds(string clientId, string leadId) => _cache.ContainsKey((clientId, leadId));

    public Task AddAsync(string clientId, string leadId, IReadOnlyList<MemoryEntry> entries, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            foreach (var e in entries)
            {
                await c.Command(
                    """
                    INSERT INTO memory_vectors (client_id, lead_id, kind, seq, text, from_lead, at, vector)
                    VALUES ($c, $l, $kind, $seq, $text, $from, $at, $v) ON CONFLICT DO NOTHING
                    """,
                    t,
                    ("$c", clientId), ("$l", leadId), ("$kind", e.Kind), ("$seq", e.Seq), ("$text", e.Text),
                    ("$from", e.FromLead ? 1 : 0), ("$at", e.At.Ms()), ("$v", VectorScoring.ToBlob(e.Vector))).ExecAsync();
            }
        }, ct);

    public Task<long> IndexedThroughSeqAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (long)(await c.Command(
            "SELECT COALESCE(MAX(seq), 0) FROM memory_vectors WHERE client_id = $c AND lead_id = $l AND kind = 'message'",
            null,
            ("$c", clientId),
            ("$l", leadId)).ScalarAsync() ?? 0L));

    public Task<int> CountAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (int)(long)(await c.Command("SELECT COUNT(*) FROM memory_vectors WHERE client_id = $c AND lead_id = $l", null, ("$c", clientId), ("$l", leadId)).ScalarAsync() ?? 0L));

    public async Task<IReadOnlyList<Recall>> SearchAsync(string clientId, string leadId, float[] query, int top, float floor, long beforeSeq, CancellationToken ct)
    {
        var lead = await CurrentAsync(clientId, leadId);
        lock (lead)
        {
            if (lead.Dimensions != query.Length)
            {
                return []; // written by another embedder: not comparable
            }

            return VectorScoring.Top(query, lead.Matrix.AsSpan(0, lead.Rows.Count * query.Length), lead.Seqs.AsSpan(0, lead.Rows.Count), beforeSeq, top, floor)
                .Select(b => lead.Rows[b.Index] with { Score = b.Score })
                .ToList();
        }
    }

    private async Task<LeadVectors> CurrentAsync(string clientId, string leadId)
    {
        var key = (clientId, leadId);
        return await db.ReadAsync(async c =>
        {
            // Two subqueries, not MIN and MAX in one: SQLite answers a lone MIN or MAX with one index seek, both together with a range scan.
            var bounds = await c.Command(
                    """
                    SELECT (SELECT MIN(id) FROM memory_vectors WHERE client_id = $c AND lead_id = $l),
                           (SELECT MAX(id) FROM memory_vectors WHERE client_id = $c AND lead_id = $l)
                    """,
                    null,
                    ("$c", clientId),
                    ("$l", leadId))
                .QueryAsync(r => (Min: r.IsDBNull(0) ? 0L : r.GetInt64(0), Max: r.IsDBNull(1) ? 0L : r.GetInt64(1)));
            var (min, max) = bounds[0];
            if (!_cache.TryGetValue(key, out var lead) || lead.MinId != min || lead.MaxId > max)
            {
                if (_cache.Count >= CachedLeads)
                {
                    _cache.Clear(); // crude but bounded: a busy process re-reads its active leads once
                }

                lead = _cache[key] = new LeadVectors(min);
            }

            if (lead.MaxId < max)
            {
                var rows = await c.Command(
                    "SELECT id, kind, seq, text, from_lead, at, vector FROM memory_vectors WHERE client_id = $c AND lead_id = $l AND id > $after ORDER BY id",
                    null,
                    ("$c", clientId),
                    ("$l", leadId),
                    ("$after", lead.MaxId)).QueryAsync(r => (Id: r.GetInt64(0), Recall: new Recall(r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetInt64(4) == 1, r.Time("at"), 0), Vector: VectorScoring.FromBlob((byte[])r.GetValue(6))));
                lock (lead)
                {
                    foreach (var row in rows.Where(row => row.Id > lead.MaxId))
                    {
                        lead.Add(row.Recall, row.Vector);
                        lead.MaxId = row.Id;
                    }
                }
            }

            return lead;
        });
    }

    /// <summary>A lead's entries with their vectors back to back in one growing array.</summary>
    private sealed class LeadVectors(long minId)
    {
        public long MinId { get; } = minId;

        public long MaxId { get; set; }

        public int Dimensions { get; private set; }

        public List<Recall> Rows { get; } = [];

        public float[] Matrix { get; private set; } = [];

        public long[] Seqs { get; private set; } = [];

        public void Add(Recall row, float[] vector)
        {
            if (Rows.Count == 0)
            {
                Dimensions = vector.Length;
            }

            if (vector.Length != Dimensions)
            {
                return; // a vector of another embedder cannot share the matrix; it is never recalled
            }

            if (Seqs.Length == Rows.Count)
            {
                var capacity = Math.Max(64, Rows.Count * 2);
                var seqs = Seqs;
                var matrix = Matrix;
                Array.Resize(ref seqs, capacity);
                Array.Resize(ref matrix, capacity * Dimensions);
                (Seqs, Matrix) = (seqs, matrix);
            }

            vector.CopyTo(Matrix, Rows.Count * Dimensions);
            Seqs[Rows.Count] = row.Seq;
            Rows.Add(row);
        }
    }
}

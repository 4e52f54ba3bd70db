using System.Text.Json;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>Lead score snapshots with the lead list's filter and sort columns (see the <c>lead_scores</c> table).</summary>
public sealed class SqliteLeadScoreStore(SqliteDatabase db) : ILeadScoreStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<LeadScoreSnapshot?> GetAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
                "SELECT snapshot_json FROM lead_scores WHERE client_id = $c AND lead_id = $l",
                null,
                ("$c", clientId),
                ("$l", leadId)).QueryAsync(Read)).FirstOrDefault());

    /// <summary>One guarded upsert (no BEGIN/COMMIT around it: SQLite runs a lone statement atomically).</summary>
    public Task<bool> SaveAsync(LeadScoreSnapshot s, CancellationToken ct) =>
        db.WriteStatementAsync(async c => await c.Command(
            """
            INSERT INTO lead_scores (client_id, lead_id, temperature, state, search, sk_score, sk_updated, sk_created, sk_name, computed_at, snapshot_json)
            VALUES ($c, $l, $t, $s, $q, $k1, $k2, $k3, $k4, $at, $j)
            ON CONFLICT (client_id, lead_id) DO UPDATE SET temperature = excluded.temperature, state = excluded.state, search = excluded.search,
                sk_score = excluded.sk_score, sk_updated = excluded.sk_updated, sk_created = excluded.sk_created, sk_name = excluded.sk_name,
                computed_at = excluded.computed_at, snapshot_json = excluded.snapshot_json
            WHERE excluded.computed_at >= lead_scores.computed_at
            """,
            null,
            ("$c", s.ClientId),
            ("$l", s.LeadId),
            ("$t", s.Score.Temperature),
            ("$s", s.State),
            ("$q", s.SearchText),
            ("$k1", s.SortKey(LeadSort.Score)),
            ("$k2", s.SortKey(LeadSort.Updated)),
            ("$k3", s.SortKey(LeadSort.Created)),
            ("$k4", s.SortKey(LeadSort.Name)),
            ("$at", s.ComputedAt.Ms()),
            ("$j", JsonSerializer.Serialize(s, Json))).ExecAsync() > 0, ct);

    public Task<IReadOnlyList<LeadScoreSnapshot>> ListStaleAsync(DateTimeOffset computedBefore, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<LeadScoreSnapshot>>(async c => await c.Command(
            "SELECT snapshot_json FROM lead_scores WHERE computed_at < $before ORDER BY computed_at LIMIT $n",
            null,
            ("$before", computedBefore.Ms()),
            ("$n", limit)).QueryAsync(Read));

    public Task<IReadOnlyList<LeadScoreSnapshot>> ListAsync(string clientId, LeadListQuery query, CancellationToken ct)
    {
        // Column names come from the enum, never from the request; every value is a parameter.
        var key = query.Sort switch
        {
            LeadSort.Score => "sk_score",
            LeadSort.Updated => "sk_updated",
            LeadSort.Created => "sk_created",
            _ => "sk_name",
        };
        var sql = new System.Text.StringBuilder("SELECT snapshot_json FROM lead_scores WHERE client_id = $c");
        List<(string, object?)> args = [("$c", clientId), ("$n", query.Limit)];
        if (query.Temperature is not null)
        {
            sql.Append(" AND temperature = $t");
            args.Add(("$t", query.Temperature));
        }

        if (query.State is not null)
        {
            sql.Append(" AND state = $s");
            args.Add(("$s", query.State));
        }

        if (query.Query is not null)
        {
            sql.Append(" AND instr(search, $q) > 0");
            args.Add(("$q", query.Query));
        }

        if (query.After is not null)
        {
            sql.Append($" AND {key} {(query.Descending ? "<" : ">")} $after");
            args.Add(("$after", query.After));
        }

        sql.Append($" ORDER BY {key} {(query.Descending ? "DESC" : "ASC")} LIMIT $n");
        return db.ReadAsync<IReadOnlyList<LeadScoreSnapshot>>(async c => await c.Command(sql.ToString(), null, [.. args]).QueryAsync(Read));
    }

    private static LeadScoreSnapshot Read(Microsoft.Data.Sqlite.SqliteDataReader r) => JsonSerializer.Deserialize<LeadScoreSnapshot>(r.GetString(0), Json)!;
}

/// <summary>Each client's learnt score weights as one JSON row, replaced by every refit.</summary>
public sealed class SqliteLeadScoreModelStore(SqliteDatabase db) : ILeadScoreModelStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<LeadScoreModel?> GetAsync(string clientId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command("SELECT model_json FROM lead_score_models WHERE client_id = $c", null, ("$c", clientId))
            .QueryAsync(r => JsonSerializer.Deserialize<LeadScoreModel>(r.GetString(0), Json))).FirstOrDefault());

    public Task SaveAsync(LeadScoreModel model, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await c.Command(
            "INSERT INTO lead_score_models (client_id, model_json) VALUES ($c, $j) ON CONFLICT (client_id) DO UPDATE SET model_json = excluded.model_json",
            t,
            ("$c", model.ClientId),
            ("$j", JsonSerializer.Serialize(model, Json))).ExecAsync(), ct);
}

using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Core.Common;
using SalesFlow.Core.Recommendations;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Recommendations as one JSON row per deterministic id; status, kind, lead and times are columns for the lists. A plan
/// is at most three statements, each idempotent on its own (so no BEGIN/COMMIT: a crash between them is repaired by
/// the next plan; writers are still serialised): an INSERT OR IGNORE of every planned row (RETURNING the new ones),
/// an UPDATE expiring the lead's stale open planner rows, and the lead's revisit time.
/// </summary>
public sealed class SqliteRecommendationStore(SqliteDatabase db) : IRecommendationStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<Recommendation?> GetAsync(string clientId, string id, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command("SELECT rec_json, etag FROM recommendations WHERE client_id = $c AND id = $id", null, ("$c", clientId), ("$id", id)).QueryAsync(Read)).FirstOrDefault());

    public Task<IReadOnlyList<Recommendation>> ListAsync(string clientId, RecommendationFilter filter, int max, CancellationToken ct)
    {
        var sql = new StringBuilder("SELECT rec_json, etag FROM recommendations WHERE client_id = $c");
        List<(string, object?)> parameters = [("$c", clientId), ("$max", Math.Max(0, max))];
        if (filter.Status is { } status)
        {
            sql.Append(" AND status = $s");
            parameters.Add(("$s", status));
        }

        if (filter.Kind is { } kind)
        {
            sql.Append(" AND kind = $k");
            parameters.Add(("$k", kind));
        }

        if (filter.LeadId is { } leadId)
        {
            sql.Append(" AND lead_id = $l");
            parameters.Add(("$l", leadId));
        }

        sql.Append(" ORDER BY created_at DESC, id LIMIT $max");
        return db.ReadAsync<IReadOnlyList<Recommendation>>(async c => await c.Command(sql.ToString(), null, [.. parameters]).QueryAsync(Read));
    }

    public Task<IReadOnlyList<Recommendation>> ApplyPlanAsync(string clientId, string leadId, IReadOnlyList<Recommendation> planned, DateTimeOffset now, DateTimeOffset revisitAt, CancellationToken ct) =>
        db.WriteStatementAsync<IReadOnlyList<Recommendation>>(async c =>
        {
            SqliteTransaction? t = null;
            List<Recommendation> created = [];
            if (planned.Count > 0)
            {
                var rows = planned.Select(r => r with { ETag = Ids.New("e") }).ToList();
                var values = string.Join(", ", rows.Select((_, i) => $"($c, $id{i}, $l, $k{i}, 'open', $src{i}, $cr{i}, $ex{i}, NULL, $j{i}, $e{i})"));
                List<(string, object?)> parameters = [("$c", clientId), ("$l", leadId)];
                for (var i = 0; i < rows.Count; i++)
                {
                    var r = rows[i];
                    parameters.AddRange([($"$id{i}", r.Id), ($"$k{i}", r.Kind), ($"$src{i}", r.Source), ($"$cr{i}", r.CreatedAt.Ms()), ($"$ex{i}", r.ExpiresAt.Ms()), ($"$j{i}", Serialize(r)), ($"$e{i}", r.ETag)]);
                }

                var inserted = await c.Command(
                    $"INSERT OR IGNORE INTO recommendations (client_id, id, lead_id, kind, status, source, created_at, expires_at, decided_at, rec_json, etag) VALUES {values} RETURNING id",
                    t,
                    [.. parameters]).QueryAsync(r => r.GetString(0));
                created.AddRange(rows.Where(r => inserted.Contains(r.Id)));
            }

            // The lead's open planner rows the plan no longer holds: what triggered them has passed.
            var keep = string.Join(", ", planned.Select((_, i) => $"$keep{i}"));
            List<(string, object?)> staleParameters = [("$c", clientId), ("$l", leadId), ("$now", now.Ms())];
            staleParameters.AddRange(planned.Select((r, i) => ($"$keep{i}", (object?)r.Id)));
            await c.Command(
                "UPDATE recommendations SET status = 'expired', decided_at = NULL, rec_json = json_set(rec_json, '$.status', 'expired'), etag = lower(hex(randomblob(8))) " +
                $"WHERE client_id = $c AND lead_id = $l AND status = 'open' AND source = 'planner'{(planned.Count > 0 ? $" AND id NOT IN ({keep})" : "")}",
                t,
                [.. staleParameters]).ExecAsync();
            await c.Command(
                "INSERT INTO recommendation_revisits (client_id, lead_id, revisit_at) VALUES ($c, $l, $at) ON CONFLICT (client_id, lead_id) DO UPDATE SET revisit_at = excluded.revisit_at",
                t,
                ("$c", clientId),
                ("$l", leadId),
                ("$at", revisitAt.Ms())).ExecAsync();
            return created;
        }, ct);

    public Task<Recommendation> AddAsync(Recommendation recommendation, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var row = recommendation with { ETag = Ids.New("e") };
            await c.Command(
                "INSERT OR IGNORE INTO recommendations (client_id, id, lead_id, kind, status, source, created_at, expires_at, decided_at, rec_json, etag) VALUES ($c, $id, $l, $k, $s, $src, $cr, $ex, $d, $j, $e)",
                t,
                [.. Columns(row)]).ExecAsync();
            return (await c.Command("SELECT rec_json, etag FROM recommendations WHERE client_id = $c AND id = $id", t, ("$c", row.ClientId), ("$id", row.Id)).QueryAsync(Read)).Single();
        }, ct);

    public Task<Recommendation> ReplaceAsync(Recommendation recommendation, CancellationToken ct) =>
        db.WriteStatementAsync(async c =>
        {
            var row = recommendation with { ETag = Ids.New("e") };
            var changed = await c.Command(
                "UPDATE recommendations SET status = $s, expires_at = $ex, decided_at = $d, rec_json = $j, etag = $e WHERE client_id = $c AND id = $id AND etag = $old",
                null,
                [.. Columns(row), ("$old", recommendation.ETag)]).ExecAsync();
            return changed == 1 ? row : throw new ConcurrencyException($"Recommendation {recommendation.Id} changed meanwhile.");
        }, ct);

    public Task<IReadOnlyList<(string Kind, string Status)>> ListDecisionsAsync(string clientId, int max, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<(string, string)>>(async c => await c.Command(
            "SELECT kind, status FROM recommendations WHERE client_id = $c AND decided_at IS NOT NULL AND status IN ('accepted', 'dismissed', 'done') ORDER BY decided_at DESC LIMIT $max",
            null,
            ("$c", clientId),
            ("$max", Math.Max(0, max))).QueryAsync(r => (r.GetString(0), r.GetString(1))));

    public Task<int> ExpireDueAsync(DateTimeOffset now, int max, CancellationToken ct) =>
        db.WriteStatementAsync(c => c.Command(
            "UPDATE recommendations SET status = 'expired', rec_json = json_set(rec_json, '$.status', 'expired'), etag = lower(hex(randomblob(8))) " +
            "WHERE rowid IN (SELECT rowid FROM recommendations WHERE status = 'open' AND expires_at <= $now ORDER BY expires_at LIMIT $max)",
            null,
            ("$now", now.Ms()),
            ("$max", Math.Max(0, max))).ExecAsync(), ct);

    public Task<IReadOnlyList<RecommendationRevisit>> ListRevisitsDueAsync(DateTimeOffset now, int max, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<RecommendationRevisit>>(async c => await c.Command(
            "SELECT client_id, lead_id, revisit_at FROM recommendation_revisits WHERE revisit_at <= $now ORDER BY revisit_at LIMIT $max",
            null,
            ("$now", now.Ms()),
            ("$max", Math.Max(0, max))).QueryAsync(r => new RecommendationRevisit(r.GetString(0), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)))));

    private static (string, object?)[] Columns(Recommendation r) =>
    [
        ("$c", r.ClientId), ("$id", r.Id), ("$l", r.LeadId), ("$k", r.Kind), ("$s", r.Status), ("$src", r.Source), ("$cr", r.CreatedAt.Ms()),
        ("$ex", r.ExpiresAt.Ms()), ("$d", r.DecidedAt?.Ms()), ("$j", Serialize(r)), ("$e", r.ETag),
    ];

    private static string Serialize(Recommendation r) => JsonSerializer.Serialize(r with { ETag = "" }, Json);

    private static Recommendation Read(SqliteDataReader r) => JsonSerializer.Deserialize<Recommendation>(r.GetString(0), Json)! with { ETag = r.GetString(1) };
}

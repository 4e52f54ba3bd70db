using System.Globalization;
using System.Text;
using System.Text.Json;
using SalesFlow.Core.Analytics;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Analytics on SQLite: a record is one transaction (its key claimed in <c>analytics_keys</c>, the lead's row in
/// <c>analytics_leads</c> read and written, every counter change one multi-row upsert into <c>analytics_counters</c>),
/// so it counts exactly once. A report is one grouped SUM over the primary key (client, metric, day, …).
/// </summary>
public sealed class SqliteAnalyticsStore(SqliteDatabase db, TimeProvider clock) : IAnalyticsStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<bool> RecordAsync(AnalyticsRecord record, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var claimed = await c.Command(
                "INSERT OR IGNORE INTO analytics_keys (client_id, key_hash, at) VALUES ($c, $k, $at)",
                t,
                ("$c", record.ClientId),
                ("$k", SqliteActivityReport.Hash(record.Key)),
                ("$at", clock.GetUtcNow().Ms())).ExecAsync();
            if (claimed == 0)
            {
                return false;
            }

            var deltas = new List<CounterDelta>(record.Counters);
            if (record.Lead is { } observation)
            {
                var before = (await c.Command(
                        "SELECT row_json FROM analytics_leads WHERE client_id = $c AND lead_id = $l",
                        t,
                        ("$c", record.ClientId),
                        ("$l", observation.LeadId)).QueryAsync(r => JsonSerializer.Deserialize<LeadAnalytics>(r.GetString(0), Json)))
                    .FirstOrDefault();
                var (after, changes) = AnalyticsAggregation.Apply(record.ClientId, before, observation);
                deltas.AddRange(changes);
                if (after != before)
                {
                    await c.Command(
                        "INSERT INTO analytics_leads (client_id, lead_id, row_json) VALUES ($c, $l, $j) ON CONFLICT (client_id, lead_id) DO UPDATE SET row_json = excluded.row_json",
                        t,
                        ("$c", record.ClientId),
                        ("$l", observation.LeadId),
                        ("$j", JsonSerializer.Serialize(after, Json))).ExecAsync();
                }
            }

            await AddAsync(c, t, record.ClientId, AnalyticsAggregation.Combine(deltas));
            return true;
        }, ct);

    /// <summary>Adds counter changes with one statement (a multi-row upsert).</summary>
    internal static async Task AddAsync(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction t, string clientId, IReadOnlyList<CounterDelta> deltas)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder("INSERT INTO analytics_counters (client_id, metric, day, dimension, value) VALUES ");
        var parameters = new List<(string, object?)> { ("$c", clientId) };
        for (var i = 0; i < deltas.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append($"($c, $m{n}, $d{n}, $x{n}, $v{n})");
            parameters.Add(($"$m{n}", deltas[i].Metric));
            parameters.Add(($"$d{n}", deltas[i].Day.DayNumber));
            parameters.Add(($"$x{n}", deltas[i].Dimension));
            parameters.Add(($"$v{n}", deltas[i].Value));
        }

        sql.Append(" ON CONFLICT (client_id, metric, day, dimension) DO UPDATE SET value = value + excluded.value");
        await c.Command(sql.ToString(), t, [.. parameters]).ExecAsync();
    }

    public Task<IReadOnlyList<CounterTotal>> TotalsAsync(string clientId, IReadOnlyCollection<string> metrics, DateOnly from, DateOnly to, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<CounterTotal>>(async c =>
        {
            var names = metrics.Select((m, i) => ($"$m{i.ToString(CultureInfo.InvariantCulture)}", (object?)m)).ToList();
            return await c.Command(
                $"SELECT metric, dimension, SUM(value) FROM analytics_counters WHERE client_id = $c AND metric IN ({string.Join(", ", names.Select(n => n.Item1))}) AND day BETWEEN $from AND $to GROUP BY metric, dimension",
                null,
                [("$c", clientId), ("$from", from.DayNumber), ("$to", to.DayNumber), .. names]).QueryAsync(r => new CounterTotal(r.GetString(0), r.GetString(1), r.GetDouble(2)));
        });

    public Task<LeadAnalytics?> GetLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
                "SELECT row_json FROM analytics_leads WHERE client_id = $c AND lead_id = $l",
                null,
                ("$c", clientId),
                ("$l", leadId)).QueryAsync(r => JsonSerializer.Deserialize<LeadAnalytics>(r.GetString(0), Json)))
            .FirstOrDefault());

    public Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        db.WriteAsync((c, t) => c.Command("DELETE FROM analytics_leads WHERE client_id = $c AND lead_id = $l", t, ("$c", clientId), ("$l", leadId)).ExecAsync(), ct);
}

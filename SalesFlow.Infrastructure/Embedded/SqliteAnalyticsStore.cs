using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
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

            await AddCountersAsync(c, t, record.ClientId, AnalyticsAggregation.Combine(deltas));
            return true;
        }, ct);

    /// <summary>
    /// Adds counter changes with one statement (a multi-row upsert), each to its day (grain 'd') and to its month
    /// (grain 'm', day = the month's first day): a long range then sums whole months and only its edge days.
    /// </summary>
    public static async Task AddCountersAsync(SqliteConnection c, SqliteTransaction t, string clientId, IReadOnlyList<CounterDelta> deltas)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        var rows = deltas.Select(d => (Grain: "d", d.Metric, Day: d.Day.DayNumber, d.Dimension, d.Value))
            .Concat(deltas.Select(d => (Grain: "m", d.Metric, Day: MonthStart(d.Day).DayNumber, d.Dimension, d.Value)))
            .GroupBy(r => (r.Grain, r.Metric, r.Day, r.Dimension))
            .Select(g => (g.Key.Grain, g.Key.Metric, g.Key.Day, g.Key.Dimension, Value: g.Sum(r => r.Value)))
            .ToList();
        var sql = new StringBuilder("INSERT INTO analytics_counters (client_id, grain, metric, day, dimension, value) VALUES ");
        var parameters = new List<(string, object?)> { ("$c", clientId) };
        for (var i = 0; i < rows.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append($"($c, $g{n}, $m{n}, $d{n}, $x{n}, $v{n})");
            parameters.Add(($"$g{n}", rows[i].Grain));
            parameters.Add(($"$m{n}", rows[i].Metric));
            parameters.Add(($"$d{n}", rows[i].Day));
            parameters.Add(($"$x{n}", rows[i].Dimension));
            parameters.Add(($"$v{n}", rows[i].Value));
        }

        sql.Append(" ON CONFLICT (client_id, grain, metric, day, dimension) DO UPDATE SET value = value + excluded.value");
        await c.Command(sql.ToString(), t, [.. parameters]).ExecAsync();
    }

    private static DateOnly MonthStart(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>
    /// The whole months inside [from, to] from the month rows, the days before and after them from the day rows; summed
    /// here, not by GROUP BY (SQLite would sort every row first, which cost more than reading them).
    /// </summary>
    public Task<IReadOnlyList<CounterTotal>> TotalsAsync(string clientId, IReadOnlyCollection<string> metrics, DateOnly from, DateOnly to, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<CounterTotal>>(async c =>
        {
            var firstMonth = from.Day == 1 ? from : MonthStart(from).AddMonths(1);
            var afterLastMonth = MonthStart(to.AddDays(1)); // the first month start after the whole months
            var hasMonths = firstMonth < afterLastMonth;
            var names = metrics.Select((m, i) => ($"$m{i.ToString(CultureInfo.InvariantCulture)}", (object?)m)).ToList();
            var inMetrics = $"metric IN ({string.Join(", ", names.Select(n => n.Item1))})";
            var sums = new Dictionary<(string, string), double>();
            await using var command = c.Command(
                $"""
                SELECT metric, dimension, value FROM analytics_counters WHERE client_id = $c AND grain = 'm' AND {inMetrics} AND day >= $ms AND day < $me
                UNION ALL
                SELECT metric, dimension, value FROM analytics_counters WHERE client_id = $c AND grain = 'd' AND {inMetrics} AND day >= $from AND day < $d1
                UNION ALL
                SELECT metric, dimension, value FROM analytics_counters WHERE client_id = $c AND grain = 'd' AND {inMetrics} AND day >= $d2 AND day <= $to
                """,
                null,
                [
                    ("$c", clientId),
                    ("$ms", hasMonths ? firstMonth.DayNumber : 0),
                    ("$me", hasMonths ? afterLastMonth.DayNumber : 0),
                    ("$from", from.DayNumber),
                    ("$d1", hasMonths ? firstMonth.DayNumber : to.DayNumber + 1),
                    ("$d2", hasMonths ? afterLastMonth.DayNumber : int.MaxValue),
                    ("$to", to.DayNumber),
                    .. names,
                ]);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                sums[key] = sums.GetValueOrDefault(key) + reader.GetDouble(2);
            }

            return [.. sums.Select(s => new CounterTotal(s.Key.Item1, s.Key.Item2, s.Value))];
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

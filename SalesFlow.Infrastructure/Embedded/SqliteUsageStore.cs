using Microsoft.Data.Sqlite;
using SalesFlow.Core.Ai.Usage;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>AI usage records in the embedded store. Cost is kept in nano-dollars (integers sum exactly).</summary>
public sealed class SqliteUsageStore(SqliteDatabase db) : IUsageStore
{
    private const string Columns = "client_id, id, lead_id, model, purpose, input_tokens, output_tokens, cost_nano_usd, latency_ms, succeeded, created_at";

    public Task AddAsync(AiUsageRecord record, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await c.Command(
            $"INSERT OR IGNORE INTO ai_usage ({Columns}) VALUES ($c, $id, $l, $m, $p, $in, $out, $cost, $lat, $ok, $at)",
            t,
            ("$c", record.ClientId),
            ("$id", record.Id),
            ("$l", record.LeadId),
            ("$m", record.Model),
            ("$p", record.Purpose),
            ("$in", record.InputTokens),
            ("$out", record.OutputTokens),
            ("$cost", ToNano(record.CostUsd)),
            ("$lat", record.LatencyMs),
            ("$ok", record.Succeeded ? 1 : 0),
            ("$at", record.CreatedAt.Ms())).ExecAsync(), ct);

    public Task<IReadOnlyList<AiUsageRecord>> ListAsync(string clientId, string? leadId, int limit, CancellationToken ct)
    {
        var filter = Scope(clientId, leadId);
        return db.ReadAsync<IReadOnlyList<AiUsageRecord>>(async c => await c.Command(
            $"SELECT {Columns} FROM ai_usage WHERE {filter.Sql} ORDER BY created_at DESC, id DESC LIMIT $n",
            null,
            filter.With(("$n", Math.Clamp(limit, 1, 1000)))).QueryAsync(Map));
    }

    public Task<UsageSummary> SummarizeLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        SummarizeAsync(clientId, leadId, null);

    public Task<UsageSummary> SummarizeClientAsync(string clientId, DateTimeOffset? since, CancellationToken ct) =>
        SummarizeAsync(clientId, null, since);

    public Task<UsageReport> ReportAsync(string clientId, string? leadId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var filter = Scope(clientId, leadId).WhereGiven("created_at >= $from", "$from", from?.Ms()).WhereGiven("created_at < $to", "$to", to?.Ms());
        return db.ReadAsync(async c =>
        {
            var rows = await c.Command(
                $"""
                SELECT model, purpose, lead_id, COUNT(*) AS calls, SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cost_nano_usd) AS cost
                FROM ai_usage WHERE {filter.Sql}
                GROUP BY model, purpose, lead_id
                """,
                null,
                filter.Parameters).QueryAsync(r => (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), new UsageTotals(r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), FromNano(r.GetInt64(6)))));
            return UsageReport.Build(clientId, leadId, from, to, rows);
        });
    }

    public Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await c.Command("DELETE FROM ai_usage WHERE client_id = $c AND lead_id = $l", t, ("$c", clientId), ("$l", leadId)).ExecAsync(), ct);

    /// <summary>The statement behind the summaries; with a start time it reads the (client, created) index from there (the budget check before every model call).</summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) SummaryQuery(string clientId, string? leadId, DateTimeOffset? since)
    {
        var filter = Scope(clientId, leadId).WhereGiven("created_at >= $since", "$since", since?.Ms());
        return ($"""
            SELECT model, purpose, COUNT(*) AS calls, SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cost_nano_usd) AS cost
            FROM ai_usage WHERE {filter.Sql}
            GROUP BY model, purpose
            """, filter.Parameters);
    }

    private static SqlFilter Scope(string clientId, string? leadId) => new SqlFilter("client_id = $c", ("$c", clientId)).WhereGiven("lead_id = $l", "$l", leadId);

    private Task<UsageSummary> SummarizeAsync(string clientId, string? leadId, DateTimeOffset? since) =>
        db.ReadAsync(async c =>
        {
            var (sql, parameters) = SummaryQuery(clientId, leadId, since);
            var rows = await c.Command(sql, null, parameters).QueryAsync(r => new UsageRow(r.GetString(0), r.GetString(1), new UsageTotals(r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), FromNano(r.GetInt64(5)))));

            static UsageTotals Sum(IEnumerable<UsageTotals> all) => all.Aggregate(UsageTotals.Zero, (a, b) => new UsageTotals(a.Calls + b.Calls, a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, a.CostUsd + b.CostUsd));
            return new UsageSummary(
                clientId,
                leadId,
                since,
                Sum(rows.Select(r => r.Totals)),
                rows.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => Sum(g.Select(r => r.Totals))),
                rows.GroupBy(r => r.Purpose).ToDictionary(g => g.Key, g => Sum(g.Select(r => r.Totals))));
        });

    private sealed record UsageRow(string Model, string Purpose, UsageTotals Totals);

    private static long ToNano(decimal usd) => (long)Math.Round(usd * 1_000_000_000m, MidpointRounding.AwayFromZero);

    private static decimal FromNano(long nano) => nano / 1_000_000_000m;

    private static AiUsageRecord Map(SqliteDataReader r) => new(
        r.GetString(r.GetOrdinal("id")),
        r.GetString(r.GetOrdinal("client_id")),
        r.NullableString("lead_id"),
        r.GetString(r.GetOrdinal("model")),
        r.GetString(r.GetOrdinal("purpose")),
        r.GetInt64(r.GetOrdinal("input_tokens")),
        r.GetInt64(r.GetOrdinal("output_tokens")),
        FromNano(r.GetInt64(r.GetOrdinal("cost_nano_usd"))),
        r.GetDouble(r.GetOrdinal("latency_ms")),
        r.GetInt64(r.GetOrdinal("succeeded")) == 1,
        r.Time("created_at"));
}

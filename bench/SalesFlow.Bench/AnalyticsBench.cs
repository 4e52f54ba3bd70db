using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Analytics;

namespace SalesFlow.Bench;

/// <summary>
/// Analytics: the five /api/analytics routes over HTTP for a client with 100,000 leads' worth of aggregates. The
/// aggregates are made by the product's own code (<see cref="AnalyticsAggregation"/>, <see cref="AnalyticsRecorder"/>)
/// from a seeded simulation of a year of leads (turns, replies, escalations, outcomes, model calls) and written straight
/// into the running app's SQLite file (the demo client), then each route is timed as a caller sees it.
/// </summary>
public static class AnalyticsBench
{
    public const string Section = "## Analytics";
    private const int Leads = 100_000;
    private const int Days = 365;
    private static readonly string[] Routes = ["funnel", "personality", "channels", "autonomy", "ai-usage"];

    public static async Task<string> RunAsync(string appDll, int requests, string configuration)
    {
        await using var app = await AppProcess.StartAsync(appDll, new Dictionary<string, string>());
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var seeding = Stopwatch.StartNew();
        var (rows, records) = await SeedAsync(Path.Combine(app.DataDir, "salesflow.db"), today);
        seeding.Stop();

        var ranges = new (string Name, string Query)[]
        {
            ("default (last 30 days)", ""),
            ("a year (365 days)", $"?from={today.AddDays(-(Days - 1)):yyyy-MM-dd}&to={today:yyyy-MM-dd}"),
            ("the most allowed (400 days)", $"?from={today.AddDays(-400):yyyy-MM-dd}&to={today:yyyy-MM-dd}"),
        };
        var results = new List<(string Route, string Range, double P50, double P99, double Max)>();
        foreach (var (name, query) in ranges)
        {
            foreach (var route in Routes)
            {
                var samples = new List<double>();
                for (var i = -20; i < requests; i++)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await app.Http.GetAsync($"/api/analytics/{route}{query}");
                    await response.Content.ReadAsByteArrayAsync();
                    watch.Stop();
                    response.EnsureSuccessStatusCode();
                    if (i >= 0)
                    {
                        samples.Add(watch.Elapsed.TotalMilliseconds); // the first 20 are warm-up (JIT, SQLite cache)
                    }
                }

                samples.Sort();
                results.Add((route, name, P(samples, 50), P(samples, 99), samples[^1]));
            }
        }

        // A figure the seed must show through the API: every lead answered (first reply) in the year.
        using var check = await app.Http.GetAsync($"/api/analytics/funnel{ranges[1].Query}");
        var firstReply = JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement.GetProperty("steps")[0].GetProperty("leads").GetInt64();
        return Report(results, requests, configuration, rows, records, firstReply, seeding.Elapsed);
    }

    private static double P(List<double> sorted, double percentile) => Percentiles.NearestRank(sorted, percentile);

    /// <summary>Counts in memory what the store would have added, record by record (the same aggregation code).</summary>
    private sealed class SummingStore : IAnalyticsStore
    {
        public Dictionary<(DateOnly Day, string Metric, string Dimension), double> Counters { get; } = [];

        public Dictionary<string, LeadAnalytics> LeadRows { get; } = [];

        public long Records { get; private set; }

        public Task<bool> RecordAsync(AnalyticsRecord record, CancellationToken ct)
        {
            Records++;
            var deltas = new List<CounterDelta>(record.Counters);
            if (record.Lead is { } observation)
            {
                var (after, changes) = AnalyticsAggregation.Apply(record.ClientId, LeadRows.GetValueOrDefault(observation.LeadId), observation);
                LeadRows[observation.LeadId] = after;
                deltas.AddRange(changes);
            }

            foreach (var d in deltas)
            {
                Counters[(d.Day, d.Metric, d.Dimension)] = Counters.GetValueOrDefault((d.Day, d.Metric, d.Dimension)) + d.Value;
            }

            return Task.FromResult(true);
        }

        public Task<IReadOnlyList<CounterTotal>> TotalsAsync(string clientId, IReadOnlyCollection<string> metrics, DateOnly from, DateOnly to, CancellationToken ct) => throw new NotSupportedException();

        public Task<LeadAnalytics?> GetLeadAsync(string clientId, string leadId, CancellationToken ct) => Task.FromResult(LeadRows.GetValueOrDefault(leadId));

        public Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct) => throw new NotSupportedException();
    }

    private static async Task<(int Rows, long Records)> SeedAsync(string database, DateOnly today)
    {
        const string client = "demo";
        var random = new Random(42);
        var store = new SummingStore();
        var recorder = new AnalyticsRecorder(store, null!, NullLogger<AnalyticsRecorder>.Instance);
        string[] channels = ["whatsapp", "whatsapp", "whatsapp", "sms", "email", "email", "web"];
        string[] reasons = ["lead asked for a human", "lead asked for a human", "strongly negative sentiment"];
        string[] disc = ["D", "I", "S", "C"];
        var firstDay = today.AddDays(-(Days - 1));
        for (var n = 0; n < Leads; n++)
        {
            var leadId = $"lead_bench_{n:D6}";
            var created = new DateTimeOffset(firstDay.AddDays(random.Next(Days)).ToDateTime(new TimeOnly(random.Next(7, 21), random.Next(60))), TimeSpan.Zero);
            var cohort = DateOnly.FromDateTime(created.UtcDateTime);
            var depth = 1;
            while (depth < 5 && random.NextDouble() < 0.6)
            {
                depth++;
            }

            var type = random.NextDouble() < 0.7 ? disc[random.Next(4)] : null;
            var at = created;
            var turns = random.Next(1, 7);
            for (var t = 0; t < turns; t++)
            {
                var channel = channels[random.Next(channels.Length)];
                var reply = at.AddSeconds(2 + random.Next(5));
                await store.RecordAsync(new AnalyticsRecord(client, $"turn/{leadId}/{t}", new LeadObservation(leadId, cohort, Depth: Math.Min(depth, 1 + t), Disc: type, InboundAt: at, Outbound: new PendingOutbound(reply, channel, reply.Hour)), []), default);
                for (var call = 0; call < 2; call++)
                {
                    var model = call == 0 || random.NextDouble() < 0.7 ? "gpt-4o-mini" : "gpt-4o";
                    var input = 300 + random.Next(1500);
                    var output = 40 + random.Next(300);
                    await recorder.ModelCalledAsync(new AiUsageRecord($"ai_{n}_{t}_{call}", client, leadId, model, call == 0 ? AiPurpose.Analysis : AiPurpose.Reply, input, output, model == "gpt-4o" ? (input * 2.5m + output * 10m) / 1_000_000 : (input * 0.15m + output * 0.6m) / 1_000_000, 150 + (random.NextDouble() * random.NextDouble() * 4000), random.NextDouble() > 0.02, reply), default);
                }

                // The lead answers most messages, after seconds to days (log-uniform).
                if (random.NextDouble() > 0.7)
                {
                    break;
                }

                at = reply.AddSeconds(Math.Exp(random.NextDouble() * Math.Log(3 * 86400)));
            }

            if (random.NextDouble() < 0.15)
            {
                await store.RecordAsync(new AnalyticsRecord(client, $"esc/{leadId}", new LeadObservation(leadId, cohort, EscalationReason: reasons[random.Next(reasons.Length)]), []), default);
            }

            if (depth >= 5 && random.NextDouble() < 0.3)
            {
                await store.RecordAsync(new AnalyticsRecord(client, $"meeting/{leadId}", new LeadObservation(leadId, cohort, Depth: 6), []), default);
                if (random.NextDouble() < 0.5)
                {
                    await store.RecordAsync(new AnalyticsRecord(client, $"won/{leadId}", new LeadObservation(leadId, cohort, Won: true), []), default);
                }
            }
        }

        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=30000;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var transaction = connection.BeginTransaction();
        // The store's own counter write (day and month rows), in chunks that stay under SQLite's parameter limit.
        foreach (var chunk in store.Counters.Select(kv => new CounterDelta(kv.Key.Day, kv.Key.Metric, kv.Key.Dimension, kv.Value)).Chunk(2000))
        {
            await SalesFlow.Infrastructure.Embedded.SqliteAnalyticsStore.AddCountersAsync(connection, transaction, client, chunk);
        }

        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO analytics_leads (client_id, lead_id, row_json) VALUES ($c, $l, $j)";
            var (c, l, j) = (insert.Parameters.Add("$c", SqliteType.Text), insert.Parameters.Add("$l", SqliteType.Text), insert.Parameters.Add("$j", SqliteType.Text));
            c.Value = client;
            var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
            foreach (var (leadId, row) in store.LeadRows)
            {
                (l.Value, j.Value) = (leadId, JsonSerializer.Serialize(row, json));
                await insert.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
        return (store.Counters.Count, store.Records);
    }

    private static string Report(List<(string Route, string Range, double P50, double P99, double Max)> results, int requests, string configuration, int rows, long records, long firstReply, TimeSpan seeding)
    {
        var s = new StringBuilder();
        s.AppendLine(Section).AppendLine();
        s.AppendLine("The five `/api/analytics` routes over HTTP (loopback, one request at a time) for one client with 100,000 leads' worth of");
        s.AppendLine("pre-aggregated counters on the embedded store (SQLite), the app as a child process (`bench/SalesFlow.Bench`, `AnalyticsBench.cs`):");
        s.AppendLine();
        s.AppendLine("```sh");
        s.AppendLine("dotnet build SalesFlow.sln -c Release");
        s.AppendLine("dotnet run -c Release --no-build --project bench/SalesFlow.Bench -- --analytics [--requests N] [--write docs/benchmarks.md]");
        s.AppendLine("```");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Seed: a simulated year ({Days} days) of {Leads:N0} leads (1–6 turns each, replies on four channels after seconds to days, two model calls per turn on two models, 15 % escalated, some meetings and wins), turned into counters by the product's own aggregation (`AnalyticsAggregation`, `AnalyticsRecorder.ModelCalledAsync`): {records:N0} records → {rows:N0} day counters (client × UTC day × metric × dimension, each also added to its month's counter) plus {Leads:N0} per-lead rows, written into the app's SQLite file in {seeding.TotalSeconds:0.0} s. The year's funnel answers {firstReply:N0} leads at its first step (the seed, read back through the API).");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"{requests} timed requests per route and range after 20 warm-up requests; {configuration} build; {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd}.");
        s.AppendLine();
        s.AppendLine("| route | range | p50 (ms) | p99 (ms) | max (ms) | target p99 ≤ 200 ms |");
        s.AppendLine("| --- | --- | ---: | ---: | ---: | :---: |");
        foreach (var r in results)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| `GET /api/analytics/{r.Route}` | {r.Range} | {r.P50:0.0} | {r.P99:0.0} | {r.Max:0.0} | {(r.P99 <= 200 ? "yes" : "no")} |");
        }

        s.AppendLine();
        s.AppendLine("`channels` is the heaviest report: it sums the most counters (per channel and hour, plus two reply-time histograms), and a range of whole days only (the default 30 days, which holds no whole month) reads every day's rows, where longer ranges read month roll-ups. On a machine shared with other work (builds, tests) the tails include that noise.");
        s.AppendLine();
        s.AppendLine("What it does not show: Cosmos DB (the same reports read at most 401 day documents of the client's partition, one query; not measured here), concurrent callers, and a cold process (the warm-up is left out).");
        return s.ToString();
    }
}

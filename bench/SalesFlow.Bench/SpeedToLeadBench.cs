using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SalesFlow.Bench;

/// <summary>
/// Speed to lead: POST /api/leads → the first contact's vendor call, on the embedded default (SQLite, the embedded
/// queue runner, the outbox sink as the vendor). The vendor call's time is the outbox item's <c>updatedAt</c> when it
/// turns <c>sent</c> (stamped right after the sender returned); the start is taken by the caller just before the POST,
/// on the same machine's clock. Quiet hours are switched off: a first contact at night waits for the morning on purpose.
/// </summary>
public static class SpeedToLeadBench
{
    public const string Section = "## Speed to lead";

    public static async Task<string> RunAsync(string appDll, int requests, int concurrency, string configuration)
    {
        await using var app = await AppProcess.StartAsync(appDll, new Dictionary<string, string>
        {
            ["FollowUps__QuietFrom"] = "00:00",
            ["FollowUps__QuietUntil"] = "00:00",
        });

        var rows = new List<(string Name, Samples Samples)>();
        await RunAsync(app, 10, 1); // warm-up: JIT, connection pools, SQLite caches
        rows.Add(($"1 lead at a time ({requests} leads)", await RunAsync(app, requests, 1)));
        rows.Add(($"{concurrency} leads in flight ({requests} leads)", await RunAsync(app, requests, concurrency)));
        return Report(rows, configuration);
    }

    private static async Task<Samples> RunAsync(AppProcess app, int requests, int concurrency)
    {
        var samples = new Samples();
        var next = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= requests)
            {
                var sample = await OneAsync(app.Http);
                lock (samples)
                {
                    samples.Add(sample);
                }
            }
        });
        await Task.WhenAll(workers);
        return samples;
    }

    private static async Task<Sample> OneAsync(HttpClient http)
    {
        var phone = "+4917" + Random.Shared.Next(10000000, 99999999).ToString(CultureInfo.InvariantCulture);
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync("/api/leads", new { name = "Bench Lead", phone, consent = new { sms = true }, source = "bench", interest = "solar panels" });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"POST /api/leads answered {(int)response.StatusCode}: {body}");
        }

        var accepted = clock.Elapsed.TotalMilliseconds;
        var leadId = body.GetProperty("leadId").GetString()!;
        while (true)
        {
            var items = JsonDocument.Parse(await http.GetStringAsync("/api/outbox?leadId=" + Uri.EscapeDataString(leadId))).RootElement.GetProperty("items");
            foreach (var item in items.EnumerateArray())
            {
                if (item.GetProperty("purpose").GetString() == "first_contact" && item.GetProperty("status").GetString() == "sent")
                {
                    var sentAt = item.GetProperty("updatedAt").GetDateTimeOffset();
                    return new Sample(accepted, (sentAt - startedAt).TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
                }
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"The first contact of lead {leadId} was not sent within 30 s.");
            }

            await Task.Delay(5);
        }
    }

    private static string Report(List<(string Name, Samples Samples)> rows, string configuration)
    {
        var md = new StringBuilder();
        md.AppendLine(Section);
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`POST /api/leads` → the first contact's vendor call, measured by `bench/SalesFlow.Bench --speed-to-lead` ({configuration} build; {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}).");
        md.AppendLine("The app runs as its own process on the embedded default (SQLite store and queue, rules brain, the outbox sink standing in for the vendor); every request is a new lead with SMS consent. Quiet hours are off: a first contact inside the lead's quiet hours waits for them to end by design.");
        md.AppendLine();
        md.AppendLine("* **Form → vendor call**: the caller's clock just before the POST → the item's `updatedAt` as it turns `sent` (stamped when the sender returned). The app records the same span from the item's creation as the histogram `salesflow.speed_to_lead` (ms, per channel).");
        md.AppendLine("* **POST answered**: request → 201 (lead, conversation, greeting written through the compliance gate, outbox item and delivery queued, follow-up timer set).");
        md.AppendLine("* **Seen sent**: when the caller's polling (every 5 ms) saw it; an upper bound.");
        md.AppendLine();
        md.AppendLine("| Load | Form → vendor call p50 | p95 | p99 | max | POST answered p50 | p99 | Seen sent p99 | Target p99 ≤ 2 s |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|:---:|");
        foreach (var (name, s) in rows)
        {
            var p99 = s.P(x => x.ToVendor, 99);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {s.P(x => x.ToVendor, 50):0.0} ms | {s.P(x => x.ToVendor, 95):0.0} ms | {p99:0.0} ms | {s.P(x => x.ToVendor, 100):0.0} ms | {s.P(x => x.Accepted, 50):0.0} ms | {s.P(x => x.Accepted, 99):0.0} ms | {s.P(x => x.SeenSent, 99):0.0} ms | {(p99 <= 2000 ? "met" : "missed")} |");
        }

        md.AppendLine();
        md.AppendLine("Not shown: a real vendor's API time (the sink answers at once; a WhatsApp/Twilio/SendGrid call adds its own round trip), an LLM-written greeting (the rules brain writes it here; with a model its latency comes on top), and the Azure path (Storage queue polling adds up to the Functions host's queue polling interval).");
        md.AppendLine("Reproduce: `dotnet run -c Release --project bench/SalesFlow.Bench -- --speed-to-lead --requests 200 --write docs/benchmarks.md`.");
        return md.ToString();
    }

    private sealed record Sample(double Accepted, double ToVendor, double SeenSent);

    private sealed class Samples
    {
        private readonly List<Sample> _samples = [];

        public void Add(Sample sample) => _samples.Add(sample);

        public double P(Func<Sample, double> pick, double percentile) => Percentiles.NearestRank(_samples.Select(pick), percentile);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Bench;

/// <summary>
/// The reply, end to end on the embedded default with the rules brain: a signed WhatsApp webhook → the reply's send at
/// the Graph stub (<see cref="GraphStub"/>, the demo client's WhatsApp channel pointed at it). Many leads hold
/// multi-turn conversations at once; each writes, waits for its reply, thinks, and writes again. Latency is the bench's
/// clock just before the webhook POST → the stub's clock when the send arrives (one process, one Stopwatch).
/// </summary>
public static class ReplyBench
{
    public const string Section = "## Reply";

    private const string AppSecret = "bench-whatsapp-app-secret";
    private const string PhoneNumberId = WhatsAppDelivery.PhoneNumberId;
    private const string AccessToken = "EAAG-bench-access-token";
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>What a lead writes, turn by turn: the rules brain answers each one (no opt-out, no hand-over, no booking).</summary>
    private static readonly string[] Script =
    [
        "Hi, we keep losing track of our customers in spreadsheets",
        "We are a team of 12 in sales, mostly field reps",
        "Our budget is around 500 EUR a month",
        "How does it work with our email and calendar?",
        "What would it cost for 12 users?",
        "Sounds good, I need to check with my manager first",
    ];

    public sealed record Options(int Leads, int Turns, TimeSpan ThinkMin, TimeSpan ThinkMax, int SaturationTurns);

    /// <summary>--leads (200), --turns (6), --think-min/--think-max in seconds (1, 3), --saturation-turns (5).</summary>
    public static Options OptionsFrom(Func<string, string?> arg) => new(
        Int(arg("--leads")) ?? 200,
        Int(arg("--turns")) ?? Script.Length,
        TimeSpan.FromSeconds(Int(arg("--think-min")) ?? 1),
        TimeSpan.FromSeconds(Int(arg("--think-max")) ?? 3),
        Int(arg("--saturation-turns")) ?? 5);

    private static int? Int(string? value) => value is null ? null : int.Parse(value, CultureInfo.InvariantCulture);

    public static async Task<string> RunAsync(string appDll, Options o, string configuration)
    {
        await using var stub = await GraphStub.StartAsync(PhoneNumberId, AccessToken);
        var rows = new List<Row>();

        // The measured configuration: no burst window, no vendor pacing (see the report for what the defaults add).
        await using (var app = await StartAsync(appDll, stub, burstWindow: TimeSpan.Zero))
        {
            var numbers = new Numbers();
            await RunAsync(app, stub, numbers, leads: 20, turns: 2, TimeSpan.Zero, TimeSpan.Zero, spread: TimeSpan.Zero); // first calls: pools, caches, the models
            // The same load on a process that just started: the runtime is still recompiling the hot methods with full
            // optimisation (tiered JIT) on the same 2 cores. Shown, not the headline: a server runs for hours.
            rows.Add(await RunAsync(app, stub, numbers, o.Leads, o.Turns, o.ThinkMin, o.ThinkMax, spread: o.ThinkMax) with
            {
                Name = $"fresh process, same load: {o.Leads} leads × {o.Turns} turns (JIT still tiering up)",
            });
            await Task.Delay(TimeSpan.FromSeconds(2)); // the background JIT's queue empties
            rows.Add(await RunAsync(app, stub, numbers, o.Leads, o.Turns, o.ThinkMin, o.ThinkMax, spread: o.ThinkMax) with
            {
                Name = $"{o.Leads} leads × {o.Turns} turns, think {o.ThinkMin.TotalSeconds:0.#}–{o.ThinkMax.TotalSeconds:0.#} s (starts spread over {o.ThinkMax.TotalSeconds:0.#} s)",
                Headline = true,
            });
            rows.Add(await RunAsync(app, stub, numbers, o.Leads, 1, TimeSpan.Zero, TimeSpan.Zero, spread: TimeSpan.Zero) with
            {
                Name = $"{o.Leads} new leads writing in the same instant (1 turn each)",
            });
            rows.Add(await RunAsync(app, stub, numbers, o.Leads, o.SaturationTurns, TimeSpan.Zero, TimeSpan.Zero, spread: TimeSpan.Zero) with
            {
                Name = $"saturation: {o.Leads} leads × {o.SaturationTurns} turns, no think time (closed loop)",
                Saturation = true,
            });
        }

        // What the default burst window adds, on a light load (it is a wait, not work).
        await using (var app = await StartAsync(appDll, stub, burstWindow: null))
        {
            var numbers = new Numbers();
            await RunAsync(app, stub, numbers, leads: 5, turns: 1, TimeSpan.Zero, TimeSpan.Zero, spread: TimeSpan.Zero);
            rows.Add(await RunAsync(app, stub, numbers, leads: 20, turns: 3, o.ThinkMin, o.ThinkMax, spread: o.ThinkMax) with
            {
                Name = $"default burst window (1.5 s): 20 leads × 3 turns, think {o.ThinkMin.TotalSeconds:0.#}–{o.ThinkMax.TotalSeconds:0.#} s",
            });
        }

        if (stub.Rejected > 0)
        {
            throw new InvalidOperationException($"The Graph stub refused {stub.Rejected} sends: the bench's wiring is wrong.");
        }

        return Report(rows, o, configuration);
    }

    private static Task<AppProcess> StartAsync(string appDll, GraphStub stub, TimeSpan? burstWindow)
    {
        var environment = new Dictionary<string, string>
        {
            ["SALESFLOW_DEMO_WHATSAPP_APP_SECRET"] = AppSecret,
            ["WhatsApp__GraphBaseUrl"] = stub.BaseUrl,
            ["WhatsApp__GraphVersion"] = "v23.0",
            // Vendor pacing off: WhatsApp's one message per ~6 s to a user and ~80/s per number are the vendor's limits,
            // which the app honours by deferring sends; with them on, the bench would measure the pacing.
            ["Delivery__PerRecipientInterval"] = "00:00:00",
            ["Delivery__PerSenderPerSecond"] = "10000",
            // AppProcess holds the queued turn back for a minute (the streaming bench's inline turn); here it is the path.
            ["Conversation__BurstWindow"] = burstWindow is { } w ? w.ToString("c", CultureInfo.InvariantCulture) : "00:00:01.500",
        };
        return ConfigureAsync(AppProcess.StartAsync(appDll, environment));
    }

    private static async Task<AppProcess> ConfigureAsync(Task<AppProcess> starting)
    {
        var app = await starting;
        using var patch = new StringContent($$"""{ "whatsapp": { "phoneNumberId": "{{PhoneNumberId}}", "accessToken": "{{AccessToken}}" } }""", Encoding.UTF8, "application/merge-patch+json");
        using var response = await app.Http.PatchAsync("/api/clients/demo/config", patch);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Configuring WhatsApp answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return app;
    }

    private static async Task<Row> RunAsync(AppProcess app, GraphStub stub, Numbers numbers, int leads, int turns, TimeSpan thinkMin, TimeSpan thinkMax, TimeSpan spread)
    {
        var latencies = new List<double>();
        var lost = 0;
        var appCpu = app.CpuTime;
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var waIds = Enumerable.Range(0, leads).Select(_ => numbers.Next()).ToArray();
        await Task.WhenAll(waIds.Select(async waId =>
        {
            var random = new Random(waId.GetHashCode(StringComparison.Ordinal));
            await Task.Delay(Between(random, TimeSpan.Zero, spread));
            for (var turn = 0; turn < turns; turn++)
            {
                var body = WhatsAppDelivery.Text(waId, "wamid.bench" + Guid.NewGuid().ToString("N"), Script[turn % Script.Length], "Bench Lead");
                using var request = WhatsAppDelivery.SignedPost(body, MetaSignature.Compute(AppSecret, body));
                var sent = Stopwatch.GetTimestamp();
                using (var response = await app.Http.SendAsync(request))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"The webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                }

                if (await stub.NextAsync("+" + waId, ReplyTimeout) is not { } arrived)
                {
                    Interlocked.Increment(ref lost);
                    return; // this lead's conversation is stuck: counted, not waited for again
                }

                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
                }

                await Task.Delay(Between(random, thinkMin, thinkMax));
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = new Cpu(app.CpuTime - appCpu, Process.GetCurrentProcess().TotalProcessorTime - benchCpu);

        // A second reply to one message would arrive right after the first: give it the time to show.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var doubled = waIds.Sum(w => stub.Unclaimed("+" + w));
        return new Row("", leads * turns, latencies, lost, doubled, elapsed, cpu);
    }

    private static TimeSpan Between(Random random, TimeSpan min, TimeSpan max) =>
        max <= min ? min : min + TimeSpan.FromMilliseconds(random.NextDouble() * (max - min).TotalMilliseconds);

    private static string Report(List<Row> rows, Options o, string configuration)
    {
        var md = new StringBuilder();
        md.AppendLine(Section);
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Signed WhatsApp webhook → the reply's send at the vendor, measured by `bench/SalesFlow.Bench reply` ({configuration} build; {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores shared by the app, the bench and the vendor stub; {System.Runtime.InteropServices.RuntimeInformation.OSDescription}).");
        md.AppendLine("The app runs as its own process on the embedded default (SQLite store and queue, the standalone queue runner, the embedded brain: rules + the learnt models, which read each message's sentence embedding; no LLM); the demo client's WhatsApp channel points at an in-bench Graph API stub that answers Meta's success shape at once. Every message is a signed Cloud API delivery (`X-Hub-Signature-256`) with its own wamid.");
        md.AppendLine();
        md.AppendLine("Load model:");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"* **Conversations** (the headline): {o.Leads} leads hold a conversation each at the same time, {o.Turns} turns of a scripted sales dialogue (pain, team size, budget, integration, price, \"need to check with my manager\"). A lead writes, waits for its reply at the vendor, thinks {o.ThinkMin.TotalSeconds:0.#}–{o.ThinkMax.TotalSeconds:0.#} s (uniform), and writes again; the leads' first messages are spread over the first {o.ThinkMax.TotalSeconds:0.#} s. A closed loop with think time: the offered rate is about leads / (think + latency), so turns/s here is what that load asks for, not the ceiling.");
        md.AppendLine("* **Fresh process**: the headline's load once right after start (and 40 first turns): .NET's tiered JIT is still recompiling the hot methods with full optimisation on the same 2 cores, so turns cost more CPU and wait longer. Then 2 s idle, then the headline on the warmed process (a server runs for hours; a Functions instance that just scaled out sees the fresh row).");
        md.AppendLine("* **Same instant**: every lead's first message in the same moment (a campaign blast answered at once): the queue's depth shows in p99 and max.");
        md.AppendLine("* **Saturation**: the same leads with no think time (each writes again the moment its reply arrives): the most turns per second the app sustains here. In a closed loop without think time latency is queueing, p99 ≈ leads / throughput, so only its turns/s is the figure.");
        md.AppendLine("* **Burst window**: SalesFlow waits `Conversation:BurstWindow` (default 1.5 s) after a message before its turn, so quick messages of one lead share one turn and one reply. That wait is deliberate, not work: the rows above run with it set to 0 (`Conversation__BurstWindow=00:00:00`); the last row runs the default on a light load to show what it adds (the window, plus up to the queue runner's 250 ms idle poll, since the delayed job is not signalled when it falls due).");
        md.AppendLine("* **Vendor pacing off**: `Delivery__PerRecipientInterval=0` and `Delivery__PerSenderPerSecond=10000`. By default SalesFlow keeps WhatsApp's own limits (one message per ~6 s to one user, ~80/s per number) by deferring sends; with them on the bench would measure that pacing (a lead thinking 1–3 s would wait for its second reply until 6 s after the first).");
        md.AppendLine("* **Latency**: the bench's clock just before the webhook POST → the stub's clock when the send arrives (one process, one `Stopwatch`): intake, the queued turn (extraction, profile, state machine, knowledge, memory, reply, compliance, outbox, commit, score, analytics, next best actions, follow-up plan), the queued delivery and the vendor call.");
        md.AppendLine("* **Answered once**: every message's reply is awaited (60 s at most, else lost); after each row the stub is checked for a second send to any lead.");
        md.AppendLine("* **CPU per turn**: the app process's CPU time (user + kernel, `/proc`) over the row divided by the turns answered (webhook, turn and delivery together), and the bench's own (its HTTP client, the stub, the signing). On a machine shared with other work, latency is noisy but CPU time per turn is not: 2 cores give at most about 2000 / (app + bench CPU ms per turn) turns/s. The burst-window row runs on a freshly started app after 5 warm-up turns: its CPU per turn is mostly JIT and idle background work spread over 60 turns, not a turn's cost.");
        md.AppendLine();
        md.AppendLine("| Load | Turns | Turns/s | p50 | p90 | p99 | max | App CPU/turn | Bench CPU/turn | Lost | Answered twice |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Answered}/{r.Sent} | {r.TurnsPerSecond:0.0} | {r.P(50):0.0} ms | {r.P(90):0.0} ms | {r.P(99):0.0} ms | {r.P(100):0.0} ms | {r.AppCpuPerTurn:0.0} ms | {r.BenchCpuPerTurn:0.0} ms | {r.Lost} | {r.Doubled} |");
        }

        var head = rows.First(r => r.Headline);
        md.AppendLine();
        md.AppendLine("Before and after the issue 16 cut (section \"Round trips of one inbound message\": SQLite 90 → 81 statements per message at the time of this run (the CRM reaction's client read, 81 → 80, came after it), the learnt weights cached, delayed work waking its workers when due), the same bench on the same shared machine minutes apart (load average about 40 on 2 cores from other builds, so latency there is mostly waiting for a CPU): saturation 45.1 → 73.2 turns/s, the app's CPU per turn at saturation 9.4 → 6.1 ms, with the default burst window p50 1,600 → 1,527 ms (the window is 1,500 ms; the idle poll no longer adds up to 250 ms). The counts are exact; the timings are not, and are to be re-measured on a quiet machine.");
        md.AppendLine();
        md.AppendLine("Night session of 2026-12-04 (quiet machine): the writer connection that keeps its statements prepared, WAL checkpoints beside the writer instead of inside a commit, one wake-up timer per queue and 10 ms, and webhooks through the inbound journal (one more hop: the journal runner stores the message, then its turn is queued). Saturation 222 → 336–358 turns/s, the app's CPU per turn at saturation 5.8 → 4.4–4.8 ms. The headline p99 at 200 leads is unstable from run to run: five runs in a row on the same build gave 93.1, 39.2, 105.3, 40.0 and 63.3 ms (p50 8.4–13.2 ms, p90 about 22 ms), so one run's p99 (the 12th slowest of 1,200 turns) is not a figure to trust either way. What the slow turns wait for is not settled. Ruled out by runs on the same build: the timer sweeps (switched off: 115.3, 126.7, 31.9 ms), the background checkpointer (SQLite's own checkpoints instead: 106.9, 84.8, 153.7 ms, so it stays), the runtime's gen0 budget (256 MB: 258.8, 95.5, 88.0 ms). The slowest turns of a run come in clusters, e.g. six turns sent within 60 ms 2.5 s into the row, about 90 ms each, their webhooks acknowledged in 2–19 ms: short stalls after the acknowledgement, in the turn or the delivery, to be found next with a trace of those moments.");
        md.AppendLine();
        md.AppendLine("Session of 2026-12-05 (quiet machine). **What the slow turns waited for: the JIT.** The headline used to start right after 40 warm-up turns, while .NET's tiered compilation was still recompiling the hot methods on the same 2 cores: with `DOTNET_TieredCompilation=0` the headline's CPU per turn fell from ~18 to ~13 ms and its p99 from 389 to 130 ms (same build, minutes apart). The headline now runs after the same load once on the fresh process (its own row) and 2 s idle. **What a turn costs now: the sentence embedding** the learnt brain reads since this session (issue 14: English intent on a source never trained on 56.7 → 69.5 %): ~4.4 ms of a core per message with ONNX Runtime 1.32.0 (5.9 ms with the 1.20.1 the package resolves by itself), so saturation fell from 336–358 to 160–176 turns/s and the app's CPU per turn at saturation rose from 4.4–4.8 to 10.2–11.2 ms. A cascade that embeds only the messages the cheaper model is unsure of halved that cost but lost 1.6–3.4 points of English intent (docs/brain-accuracy.md, run 6), so it was not shipped. The embedding reads a message's first 400 characters (a 4,000-character e-mail took ~200 ms). Headline p99 on one build, runs in a row: with one ONNX thread 59.4, 83.8, 86.6 ms; with two ONNX threads that sleep instead of spinning (shipped) 44.5, 35.2, 167.9, 75.5 ms (p50 12–17 ms), and 35.7, 50.2 ms with workstation GC (not shipped: no clear difference). The p99 target is met in some runs and missed in others.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Target p99 ≤ 50 ms at {o.Leads} leads: {(head.P(99) <= 50 ? "met" : "missed")} ({head.P(99):0.0} ms).");
        md.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench/SalesFlow.Bench -- reply --leads {o.Leads} --turns {o.Turns} --write docs/benchmarks.md`.");
        md.AppendLine();
        md.AppendLine(Line(head, o.Leads));
        return md.ToString();
    }

    /// <summary>The one-line result the issue asks for.</summary>
    public static string Line(Row head, int leads) =>
        string.Create(CultureInfo.InvariantCulture, $"reply: {head.TurnsPerSecond:0.0} turns/s, p50 {head.P(50):0.0} ms, p99 {head.P(99):0.0} ms at {leads} leads");

    /// <summary>CPU time used during a row: the app's, and the bench's own (its HTTP client and the Graph stub).</summary>
    public sealed record Cpu(TimeSpan App, TimeSpan Bench);

    public sealed record Row(string Name, int Sent, List<double> Latencies, int Lost, int Doubled, TimeSpan Elapsed, Cpu Cpu)
    {
        /// <summary>The app's CPU milliseconds per answered turn (webhook, turn, delivery): robust to a busy machine, unlike latency.</summary>
        public double AppCpuPerTurn => Cpu.App.TotalMilliseconds / Math.Max(1, Answered);

        public double BenchCpuPerTurn => Cpu.Bench.TotalMilliseconds / Math.Max(1, Answered);

        public bool Headline { get; init; }

        public bool Saturation { get; init; }

        public int Answered => Latencies.Count;

        public double TurnsPerSecond => Answered / Elapsed.TotalSeconds;

        public double P(double percentile) => Percentiles.NearestRank(Latencies, percentile);
    }

    /// <summary>Distinct WhatsApp ids per run (a new lead each), random enough not to meet a previous run's data.</summary>
    private sealed class Numbers
    {
        private readonly int _base = Random.Shared.Next(100, 999) * 10_000;
        private int _next;

        public string Next() => "49170" + (_base + Interlocked.Increment(ref _next)).ToString("D7", CultureInfo.InvariantCulture);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SalesFlow.Bench;

// Streaming benchmark: POST /api/chat/stream against the real app (child process), LLM brain over a paced replay of a
// recorded OpenAI stream, and the offline rules brain. Reports time to first token as the caller sees it and
// SalesFlow's own added latency (request → upstream request, plus last upstream token → done) as the app measures it.
// Usage: dotnet run -c Release --project bench/SalesFlow.Bench -- [--requests N] [--write docs/benchmarks.md]
// Analytics: dotnet run -c Release --project bench/SalesFlow.Bench -- --analytics [--requests N] [--write docs/benchmarks.md]
// Console first view: dotnet run -c Release --project bench/SalesFlow.Bench -- --console [--loads N] [--verbose] [--write docs/benchmarks.md]
// Intake under load: dotnet run -c Release --project bench/SalesFlow.Bench -- intake [--requests N] [--seconds S] [--write docs/benchmarks.md]
// Reply under load: dotnet run -c Release --project bench/SalesFlow.Bench -- reply [--leads N] [--turns T] [--write docs/benchmarks.md]
// Cold start and memory: dotnet run -c Release --project bench/SalesFlow.Bench -- coldstart [--runs N] [--leads N] [--write docs/benchmarks.md]
// Speed to lead: dotnet run -c Release --project bench/SalesFlow.Bench -- --speed-to-lead [--requests N] [--concurrency C] [--write docs/benchmarks.md]
var requests = ArgValue("--requests") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 100;
var write = ArgValue("--write");
var root = RepoRoot();
var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
var appDll = Path.Combine(root, "SalesFlow.Functions", "bin", configuration, "net10.0", "SalesFlow.Functions.dll");
if (args.FirstOrDefault() is "reply" or "coldstart")
{
    var benchReport = args[0] == "reply"
        ? await ReplyBench.RunAsync(appDll, ReplyBench.OptionsFrom(ArgValue), configuration)
        : await ColdStartBench.RunAsync(root, appDll, ColdStartBench.OptionsFrom(ArgValue), configuration);
    if (write is not null)
    {
        WriteSection(Path.IsPathRooted(write) ? write : Path.Combine(root, write), benchReport, args[0] == "reply" ? ReplyBench.Section : ColdStartBench.Section);
        Console.Error.WriteLine($"Written to {write}");
    }

    Console.WriteLine(benchReport.TrimEnd()); // ends with the one-line result
    return 0;
}

if (args.Contains("--analytics"))
{
    var analyticsReport = await AnalyticsBench.RunAsync(appDll, ArgValue("--requests") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 200, configuration);
    Console.WriteLine(analyticsReport);
    if (write is not null)
    {
        WriteSection(Path.IsPathRooted(write) ? write : Path.Combine(root, write), analyticsReport, AnalyticsBench.Section);
        Console.WriteLine($"Written to {write}");
    }

    return 0;
}

if (args.Contains("--console"))
{
    var loads = ArgValue("--loads") is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : 20;
    var consoleReport = await ConsoleBench.RunAsync(appDll, loads, configuration, args.Contains("--verbose"));
    if (write is not null)
    {
        WriteSection(Path.IsPathRooted(write) ? write : Path.Combine(root, write), consoleReport, ConsoleBench.Section);
        Console.WriteLine($"Written to {write}");
    }

    return 0;
}

if (args.Contains("intake") || args.Contains(IntakeBench.CeilingMode))
{
    var intakeReport = await IntakeBench.RunAsync(args, appDll, configuration);
    if (write is not null && intakeReport is not null)
    {
        WriteSection(Path.IsPathRooted(write) ? write : Path.Combine(root, write), intakeReport, IntakeBench.Section);
        Console.WriteLine($"Written to {write}");
    }

    return 0;
}

if (args.Contains("--speed-to-lead"))
{
    var concurrency = ArgValue("--concurrency") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 8;
    var speedReport = await SpeedToLeadBench.RunAsync(appDll, requests, concurrency, configuration);
    Console.WriteLine(speedReport);
    if (write is not null)
    {
        WriteSection(Path.IsPathRooted(write) ? write : Path.Combine(root, write), speedReport, SpeedToLeadBench.Section);
        Console.WriteLine($"Written to {write}");
    }

    return 0;
}
var fixture = Path.Combine(root, "SalesFlow.Tests", "Fixtures", "Api", "openai", "chat_stream_long_gpt-4o-mini.sse");
var upstreamTtft = TimeSpan.FromMilliseconds(200);
var upstreamGap = TimeSpan.FromMilliseconds(15);
const int Pieces = 40;

await using var upstream = await ReplayUpstream.StartAsync(fixture, Pieces, upstreamTtft, upstreamGap);
var results = new List<(string Name, Stats Stats)>();
await using (var llmApp = await AppProcess.StartAsync(appDll, new Dictionary<string, string>
{
    ["AI__Provider"] = "openai",
    ["AI__Endpoint"] = upstream.BaseUrl.ToString(),
    ["AI__ApiKey"] = "test",
    ["AI__MaxRetries"] = "0",
    // Email: the reply is not cut to 280 characters, so every streamed token counts.
}))
{
    results.Add(("lead, LLM (replayed stream)", await RunAsync(llmApp, "lead", "email", requests)));
    results.Add(("coach, LLM (replayed stream)", await RunAsync(llmApp, "coach", "email", requests)));
}

await using (var rulesApp = await AppProcess.StartAsync(appDll, new Dictionary<string, string>()))
{
    results.Add(("lead, rules brain (offline)", await RunAsync(rulesApp, "lead", "whatsapp", requests)));
    results.Add(("coach, rules playbook (offline)", await RunAsync(rulesApp, "coach", "whatsapp", requests)));
}

var report = Report(results, requests, configuration, upstreamTtft, upstreamGap, Pieces);
Console.WriteLine(report);
if (write is not null)
{
    WriteSection(Path.IsPathRooted(write) ? write : Path.Combine(root, write), report, "## Streaming");
    Console.WriteLine($"Written to {write}");
}

return 0;

static async Task<Stats> RunAsync(AppProcess app, string mode, string channel, int requests)
{
    var stats = new Stats();
    for (var i = -10; i < requests; i++)
    {
        // A fresh lead per request, so every turn is a first-stage turn of the same shape.
        var start = await app.Http.PostAsJsonAsync("/api/conversations", new { channel, from = channel == "email" ? $"lead{Guid.NewGuid():N}@example.com" : "+4917" + Random.Shared.Next(10000000, 99999999), message = "Hi, we lose track of our customers" });
        var conversationId = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("conversationId").GetString();
        var message = mode == "coach" ? "How do I convince this lead?" : "What would your CRM do for us?";
        var sample = await StreamAsync(app.Http, conversationId!, message, mode);
        if (i >= 0)
        {
            stats.Add(sample); // the first ten are warm-up (JIT, connection pools)
        }
    }

    return stats;
}

static async Task<Sample> StreamAsync(HttpClient http, string conversationId, string message, string mode)
{
    var started = Stopwatch.GetTimestamp();
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat/stream") { Content = JsonContent.Create(new { conversationId, message, mode }) };
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
    double? firstToken = null;
    var tokens = 0;
    string? evt = null;
    JsonElement done = default;
    while (await reader.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("event: ", StringComparison.Ordinal))
        {
            evt = line[7..];
        }
        else if (line.StartsWith("data: ", StringComparison.Ordinal))
        {
            if (evt == "token")
            {
                tokens++;
                firstToken ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            else if (evt == "done")
            {
                done = JsonDocument.Parse(line[6..]).RootElement.Clone();
            }
            else if (evt == "error")
            {
                throw new InvalidOperationException("Stream failed: " + line);
            }
        }
    }

    var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    var timing = done.GetProperty("timing");
    return new Sample(
        firstToken ?? double.NaN,
        total,
        timing.GetProperty("ttftMs").GetDouble(),
        timing.GetProperty("addedLatencyMs").GetDouble(),
        timing.GetProperty("preUpstreamMs").GetDouble(),
        timing.GetProperty("postUpstreamMs").GetDouble(),
        tokens);
}

static string Report(List<(string Name, Stats Stats)> results, int requests, string configuration, TimeSpan ttft, TimeSpan gap, int pieces)
{
    var md = new StringBuilder();
    md.AppendLine("## Streaming");
    md.AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"`POST /api/chat/stream`, measured by `bench/SalesFlow.Bench` ({configuration} build, {requests} sequential requests per row after 10 warm-up requests, one new lead each; {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}).");
    md.AppendLine("The app runs as its own process on the embedded store; the LLM rows talk to a local OpenAI stand-in that replays the recorded");
    md.AppendLine(CultureInfo.InvariantCulture, $"gpt-4o-mini stream (`chat_stream_long_gpt-4o-mini.sse`: its first {pieces} content chunks and its usage chunk), paced like a model: {ttft.TotalMilliseconds:0} ms to the first chunk, then {gap.TotalMilliseconds:0} ms per chunk. The extraction call (JSON analysis) answers at once.");
    md.AppendLine();
    md.AppendLine("* **TTFT (client)**: request sent → first `event: token` read by the caller.");
    md.AppendLine("* **Added latency (app)**: SalesFlow's own share as the app measures it (`done.timing.addedLatencyMs`, metric `salesflow.chat.added_latency`): request received → the reply's upstream request (intake, the extraction call, profile merge, state machine), plus end of the upstream stream → done (compliance, outbox, audit, commit). Without a model the whole request is SalesFlow's.");
    md.AppendLine("* **Pre / post**: the two parts of the added latency. Note the pre part includes the extraction call's own round trip to the (local) model.");
    md.AppendLine();
    md.AppendLine("| Path | TTFT p50 | TTFT p95 | TTFT p99 | Added p50 | Added p95 | Added p99 | Pre p50 | Post p50 | Tokens/request |");
    md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var (name, s) in results)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {s.P(x => x.ClientTtft, 50):0.0} ms | {s.P(x => x.ClientTtft, 95):0.0} ms | {s.P(x => x.ClientTtft, 99):0.0} ms | {s.P(x => x.Added, 50):0.0} ms | {s.P(x => x.Added, 95):0.0} ms | {s.P(x => x.Added, 99):0.0} ms | {s.P(x => x.Pre, 50):0.0} ms | {s.P(x => x.Post, 50):0.0} ms | {s.P(x => x.Tokens, 50):0} |");
    }

    md.AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"With a model, the caller's TTFT is the stand-in's {ttft.TotalMilliseconds:0} ms plus SalesFlow's pre-upstream share plus the two loopback HTTP hops (caller → app, and app → model through the OpenAI SDK, which the app counts as upstream time) and SSE parsing on both; everything a real model adds on top (hundreds of ms) is the model's, not SalesFlow's.");
    md.AppendLine("Reproduce: `dotnet run -c Release --project bench/SalesFlow.Bench -- --requests 100 --write docs/benchmarks.md`.");
    return md.ToString();
}

static void WriteSection(string path, string section, string heading)
{
    var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\n";
    var start = text.IndexOf(heading, StringComparison.Ordinal);
    if (start < 0)
    {
        text = text.TrimEnd() + "\n\n" + section;
    }
    else
    {
        var next = text.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        text = text[..start] + section + (next < 0 ? "" : "\n" + text[(next + 1)..]);
    }

    File.WriteAllText(path, text.TrimEnd() + "\n");
}

static string RepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SalesFlow.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new DirectoryNotFoundException("SalesFlow.sln not found above " + AppContext.BaseDirectory);
}

string? ArgValue(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>One streamed request.</summary>
internal sealed record Sample(double ClientTtft, double ClientTotal, double ServerTtft, double Added, double Pre, double Post, int Tokens);

internal sealed class Stats
{
    private readonly List<Sample> _samples = [];

    public void Add(Sample sample) => _samples.Add(sample);

    public double P(Func<Sample, double> pick, double percentile) => Percentiles.NearestRank(_samples.Select(pick), percentile);
}

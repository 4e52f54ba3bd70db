using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Bench;

/// <summary>
/// Cold start: process start → the first 200 on <c>/ready</c>, for the framework-dependent Release build and for a
/// self-contained ReadyToRun publish; and the app's resident memory (VmRSS) with many active leads.
/// </summary>
public static class ColdStartBench
{
    public const string Section = "## Cold start and memory";

    private const string AppSecret = "bench-whatsapp-app-secret";

    public sealed record Options(int Runs, int Leads, string? Published);

    /// <summary>--runs (5), --leads (10000), --published DIR (a self-contained publish to use instead of publishing one).</summary>
    public static Options OptionsFrom(Func<string, string?> arg) => new(
        arg("--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 5,
        arg("--leads") is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : 10_000,
        arg("--published"));

    public static async Task<string> RunAsync(string root, string appDll, Options o, string configuration)
    {
        var builds = new List<(string Name, Launch Launch)> { ("framework-dependent (`dotnet SalesFlow.Functions.dll`)", new Launch("dotnet", $"\"{appDll}\"", Path.GetDirectoryName(appDll)!)) };
        var (published, publishNote) = o.Published is { } dir
            ? (dir, "made beforehand with `dotnet publish SalesFlow.Functions -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -o <dir>` and passed as `--published <dir>` (the runtime packs and the ReadyToRun compiler pack, Crossgen2, restored from NuGet here)")
            : await PublishAsync(root);
        if (published is not null)
        {
            var exe = Path.Combine(published, "SalesFlow.Functions");
            builds.Add(("self-contained ReadyToRun (linux-x64)", new Launch(exe, "", published)));
        }

        var starts = new List<(string Name, Samples First, Samples Restart)>();
        foreach (var (name, launch) in builds)
        {
            var first = new Samples();
            var restart = new Samples();
            await StartAsync(launch, NewDataDir(), keep: false); // warm the page cache: a cold disk is not what this measures
            for (var i = 0; i < o.Runs; i++)
            {
                var dataDir = NewDataDir();
                first.Add(await StartAsync(launch, dataDir, keep: true)); // empty data folder: schema, demo client
                restart.Add(await StartAsync(launch, dataDir, keep: false)); // the same folder again: an ordinary restart
            }

            starts.Add((name, first, restart));
        }

        var memory = await MemoryAsync(builds[0].Launch, o.Leads);
        return Report(starts, memory, o, publishNote, configuration);
    }

    private sealed record Launch(string FileName, string Arguments, string WorkingDirectory);

    private sealed record Memory(int Leads, long IdleKb, long LoadedKb, long PeakKb, TimeSpan Took);

    private static string NewDataDir() => Path.Combine(Path.GetTempPath(), "salesflow-coldstart-" + Guid.NewGuid().ToString("N"));

    /// <summary>Publishes SalesFlow.Functions self-contained with ReadyToRun; null and the reason when the packs do not restore.</summary>
    private static async Task<(string? Dir, string Note)> PublishAsync(string root)
    {
        var dir = Path.Combine(Path.GetTempPath(), "salesflow-bench-r2r");
        var args = $"publish \"{Path.Combine(root, "SalesFlow.Functions", "SalesFlow.Functions.csproj")}\" -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -o \"{dir}\" -nologo -v q";
        var info = new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = (await output + await error).Trim();
        Console.Error.WriteLine($"dotnet {args}: exit {process.ExitCode}");
        return process.ExitCode == 0
            ? (dir, $"`dotnet {args.Replace($"\"{Path.Combine(root, "SalesFlow.Functions", "SalesFlow.Functions.csproj")}\"", "SalesFlow.Functions", StringComparison.Ordinal).Replace(dir, "<dir>", StringComparison.Ordinal)}` (the runtime packs and the ReadyToRun compiler pack, Crossgen2, restored from NuGet here)")
            : (null, "the self-contained ReadyToRun publish failed here: " + string.Join(" ", text.Split('\n').TakeLast(5)));
    }

    /// <summary>Milliseconds from Process.Start to the first 200 on /ready (polled every 5 ms).</summary>
    private static async Task<double> StartAsync(Launch launch, string dataDir, bool keep)
    {
        using var running = Start(launch, dataDir, out var port);
        var clock = Stopwatch.StartNew();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await WaitReadyAsync(running, http);
            return clock.Elapsed.TotalMilliseconds;
        }
        finally
        {
            Stop(running);
            if (!keep)
            {
                TryDelete(dataDir);
            }
        }
    }

    private static Process Start(Launch launch, string dataDir, out int port)
    {
        port = FreePort();
        var info = new ProcessStartInfo(launch.FileName, launch.Arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["SALESFLOW_DATA_DIR"] = dataDir;
        info.Environment["SALESFLOW_DEMO_API_KEY"] = AppProcess.ApiKey;
        info.Environment["SALESFLOW_DEMO_WHATSAPP_APP_SECRET"] = AppSecret;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment.Remove("Functions__Worker__HostEndpoint");
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + launch.FileName);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(Process process, HttpClient http)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode} before it was ready.");
            }

            try
            {
                using var ready = await http.GetAsync("/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(5);
        }

        throw new TimeoutException("The app did not become ready within 60 s.");
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>
    /// VmRSS of the ready app, then after <paramref name="leads"/> leads each wrote one signed WhatsApp message and
    /// every turn and delivery ran (the queue is empty): the leads, their conversations, profiles, scores, follow-up
    /// timers and outbox items are in the store; whatever the app caches per lead is in memory.
    /// </summary>
    private static async Task<Memory> MemoryAsync(Launch launch, int leads)
    {
        var dataDir = NewDataDir();
        using var process = Start(launch, dataDir, out var port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            await WaitReadyAsync(process, http);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var idle = Status(process.Id, "VmRSS");
            var clock = Stopwatch.StartNew();
            var baseNumber = Random.Shared.Next(100, 999) * 100_000;
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < leads)
                {
                    var waId = "4915" + (baseNumber + i).ToString("D8", CultureInfo.InvariantCulture);
                    var body = WhatsAppDelivery.Text(waId, "wamid.mem" + Guid.NewGuid().ToString("N"), "Hi, we keep losing track of our customers, what does your CRM cost?", "Memory Lead");
                    using var request = WhatsAppDelivery.SignedPost(body, MetaSignature.Compute(AppSecret, body));
                    using var response = await http.SendAsync(request);
                    response.EnsureSuccessStatusCode();
                }
            }));
            await DrainedAsync(Path.Combine(dataDir, "salesflow.db"));
            var took = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2));
            return new Memory(leads, idle, Status(process.Id, "VmRSS"), Status(process.Id, "VmHWM"), took);
        }
        finally
        {
            Stop(process);
            TryDelete(dataDir);
        }
    }

    /// <summary>Waits until the app's queue holds no work (every turn and delivery ran).</summary>
    private static async Task DrainedAsync(string database)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(20))
        {
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM jobs WHERE queue NOT LIKE '%-poison'";
            if (Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 0)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("The app's queue did not drain within 20 minutes.");
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in kB (VmRSS: resident now; VmHWM: the peak).</summary>
    private static long Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string Report(List<(string Name, Samples First, Samples Restart)> starts, Memory memory, Options o, string publishNote, string configuration)
    {
        var md = new StringBuilder();
        md.AppendLine(Section);
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured by `bench/SalesFlow.Bench coldstart` ({configuration}; {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}). Standalone app on the embedded default (SQLite store and queue, the embedded brain: rules + learnt models with the sentence embedding).");
        md.AppendLine();
        md.AppendLine("* **Cold start**: `Process.Start` → the first 200 on `/ready` (polled every 5 ms; `/ready` answers 200 once the store answers, storage takes writes and every queue worker loop runs). **First start**: an empty data folder (the schema is created, the demo client seeded). **Restart**: the same folder again. One unmeasured start before each build warms the OS page cache.");
        md.AppendLine(CultureInfo.InvariantCulture, $"* **Self-contained ReadyToRun**: {publishNote}.");
        md.AppendLine();
        md.AppendLine("| Build | Runs | First start p50 | First start max | Restart p50 | Restart max |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, first, restart) in starts)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {first.Count} | {first.P(50):0} ms | {first.P(100):0} ms | {restart.P(50):0} ms | {restart.P(100):0} ms |");
        }

        md.AppendLine();
        md.AppendLine("Reading it: most of a start is the runtime, ASP.NET Core and the app's composition (DI, options validation, the SQLite schema check), not the store. The learnt brain's models, the ~90 MB sentence-embedding model among them, load in the background right after start (`BrainWarmUp`), so `/ready` does not wait for them (2026-12-05: first start 1,264 → 859 ms framework-dependent, 1,083 → 684 ms ReadyToRun, when they stopped loading while the app was composed).");
        if (starts.Count == 2)
        {
            var (frameworkFirst, readyToRunFirst) = (starts[0].First.P(50), starts[1].First.P(50));
            md.AppendLine(CultureInfo.InvariantCulture, $"ReadyToRun (no JIT for the app and framework code it carries) changed the first start's median by {readyToRunFirst - frameworkFirst:+0;-0} ms ({(readyToRunFirst - frameworkFirst) / frameworkFirst:+0%;-0%}) in this run. On a loaded machine the difference can vanish: the framework-dependent build runs on the shared framework that other .NET processes keep hot in the page cache, while the self-contained copy (about 250 MB of its own files) is warmed only by its one unmeasured start. Flex Consumption, which the csproj's ReadyToRun setting is for, starts from a cold disk.");
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Memory** (framework-dependent build): `VmRSS` from `/proc/<pid>/status` of the ready app, then after {memory.Leads:N0} leads each wrote one signed WhatsApp message (32 senders) and every turn and delivery ran (the queue empty; {memory.Took.TotalSeconds:0} s for all of it); `VmHWM` is the peak resident size over the run. The sentence-embedding model (ONNX weights and runtime, loaded once per process after start) accounts for about 300 MiB of the loaded figures: 241 MiB with 10,000 leads before it (2026-12-04).");
        md.AppendLine();
        md.AppendLine("| State | RSS |");
        md.AppendLine("|---|---:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| ready, no leads | {memory.IdleKb / 1024.0:0} MiB |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| {memory.Leads:N0} active leads, queue drained | {memory.LoadedKb / 1024.0:0} MiB |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| peak (VmHWM) | {memory.PeakKb / 1024.0:0} MiB |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `dotnet run -c Release --project bench/SalesFlow.Bench -- coldstart --runs {o.Runs} --leads {o.Leads} --write docs/benchmarks.md`.");
        return md.ToString();
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Samples
    {
        private readonly List<double> _values = [];

        public int Count => _values.Count;

        public void Add(double value) => _values.Add(value);

        public double P(double percentile) => Percentiles.NearestRank(_values, percentile);
    }
}

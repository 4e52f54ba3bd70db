using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace SalesFlow.Bench;

/// <summary>The real SalesFlow.Functions app as a child process on a free loopback port with its own data directory.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    public const string ApiKey = "sf_bench_key";

    private readonly Process _process;
    private readonly string _dataDir;

    private AppProcess(Process process, string dataDir, Uri baseUrl)
    {
        _process = process;
        _dataDir = dataDir;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    public HttpClient Http { get; }

    /// <summary>CPU time the app's process has used so far (user and kernel).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The app's data directory (its SQLite file is salesflow.db there).</summary>
    public string DataDir => _dataDir;

    public static async Task<AppProcess> StartAsync(string appDll, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var dataDir = Path.Combine(Path.GetTempPath(), "salesflow-bench-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo("dotnet", $"\"{appDll}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["SALESFLOW_DATA_DIR"] = dataDir;
        info.Environment["SALESFLOW_DEMO_API_KEY"] = ApiKey;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // The queued turn must not race the inline streamed one; the bench measures the inline path.
        info.Environment["Conversation__BurstWindow"] = "00:01:00";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start SalesFlow.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, dataDir, new Uri($"http://127.0.0.1:{port}"));
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var ready = await app.Http.GetAsync("/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("SalesFlow did not become ready.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Http.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

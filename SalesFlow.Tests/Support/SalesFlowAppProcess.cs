using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace SalesFlow.Tests.Support;

/// <summary>
/// Runs the real SalesFlow.Functions app as a child process on a free loopback port with its own
/// data directory, exactly as `dotnet run --project SalesFlow.Functions` would, so end-to-end
/// tests drive it over HTTP and can kill -9 it.
/// </summary>
public sealed class SalesFlowAppProcess : IAsyncDisposable
{
    public const string ApiKey = "sf_test_demo_key";
    public const string WhatsAppAppSecret = "test-whatsapp-app-secret";
    public const string WhatsAppVerifyToken = "test-verify-token";
    public const string TwilioAuthToken = "test-twilio-auth-token";
    public const string EmailWebhookSecret = "test-email-secret";

    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    private SalesFlowAppProcess(string dataDir, Dictionary<string, string> environment)
    {
        DataDir = dataDir;
        _environment = environment;
        Port = LocalServerProcess.FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{Port}");
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    public string DataDir { get; }
    public int Port { get; }
    public Uri BaseUrl { get; }

    /// <summary>A client already authenticated as the demo client.</summary>
    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SalesFlowAppProcess> StartAsync(Dictionary<string, string>? environment = null, string? dataDir = null)
    {
        var app = new SalesFlowAppProcess(dataDir ?? Path.Combine(Path.GetTempPath(), "salesflow-e2e-" + Guid.NewGuid().ToString("N")), environment ?? []);
        await app.StartProcessAsync();
        return app;
    }

    /// <summary>Starts the app again on the same data directory and port (after <see cref="KillAsync"/>).</summary>
    public Task RestartAsync() => StartProcessAsync();

    /// <summary>kill -9: no graceful shutdown, no flushing.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Starts the app and waits for it to exit by itself (a start-up it refuses); its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataDir, Dictionary<string, string>? environment = null)
    {
        var app = new SalesFlowAppProcess(dataDir, environment ?? []);
        using var process = Process.Start(app.StartInfo()) ?? throw new InvalidOperationException("Could not start SalesFlow.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("SalesFlow did not exit by itself:\n" + await stdout + await stderr);
        }

        app.Http.Dispose();
        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task StartProcessAsync()
    {
        _process = Process.Start(StartInfo()) ?? throw new InvalidOperationException("Could not start SalesFlow.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = Anonymous();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"SalesFlow exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"SalesFlow did not become ready:\n{Output}");
    }

    private ProcessStartInfo StartInfo()
    {
        var info = new ProcessStartInfo("dotnet", $"\"{AppDll()}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppDll())!,
        };
        info.Environment["ASPNETCORE_URLS"] = BaseUrl.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["SALESFLOW_DATA_DIR"] = DataDir;
        info.Environment["SALESFLOW_DEMO_API_KEY"] = ApiKey;
        info.Environment["SALESFLOW_DEMO_WHATSAPP_APP_SECRET"] = WhatsAppAppSecret;
        info.Environment["SALESFLOW_DEMO_WHATSAPP_VERIFY_TOKEN"] = WhatsAppVerifyToken;
        info.Environment["SALESFLOW_DEMO_TWILIO_AUTH_TOKEN"] = TwilioAuthToken;
        info.Environment["SALESFLOW_DEMO_EMAIL_WEBHOOK_SECRET"] = EmailWebhookSecret;
        info.Environment["DemoClient__Knowledge"] = "false"; // the demo knowledge's own tests turn it on
        info.Environment["Conversation__BurstWindow"] = "00:00:00.300";
        // Standalone, as `dotnet run`: never the worker started by a Functions host.
        info.Environment.Remove("Functions__Worker__HostEndpoint");
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string AppDll()
    {
        // The app's own build output, next to the test project's (same configuration).
        var testDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testDir.Parent!.Name;
        var dll = Path.Combine(RepoPaths.Root, "SalesFlow.Functions", "bin", configuration, "net10.0", "SalesFlow.Functions.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build SalesFlow.Functions first.", dll);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SalesFlow.Core.Adapters.Azure.StorageQueues;

namespace SalesFlow.Tests.Support;

/// <summary>
/// A real Azurite queue service for one test class: started from
/// <c>tools/test-services/node_modules/.bin/azurite-queue</c> (installed by
/// <c>bash tools/test-services.sh install</c> on first use) on a free 127.0.0.1 port, in memory,
/// and killed with its process tree afterwards. One instance serves the "Azurite" test collection
/// (each test uses its own queue names), so a test run starts Node once.
/// The start-up wait is 15 s; <c>SALESFLOW_AZURITE_START_SECONDS</c> lengthens it on a slow machine.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Collection = "Azurite";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("SALESFLOW_AZURITE_START_SECONDS"), out var seconds) && seconds > 0 ? seconds : 15);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>Shared Key connection string of Azurite's well-known account on this instance.</summary>
    public string ConnectionString => StorageConnectionString.ForAzurite(Port);

    public Uri QueueEndpoint => new($"http://127.0.0.1:{Port}/{StorageConnectionString.DevelopmentAccountName}");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

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

    /// <summary>A client of this Azurite, authorized with the well-known account key.</summary>
    public StorageQueueClient NewClient() => StorageQueueClient.FromConnectionString(ConnectionString, Http);

    /// <summary>A fresh queue name nobody else uses.</summary>
    public static string NewQueueName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    public async Task InitializeAsync()
    {
        var root = RepoRoot();
        var azurite = Path.Combine(root, "tools", "test-services", "node_modules", ".bin", "azurite-queue");
        await EnsureInstalledAsync(root, azurite);

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Port = FreePort();
            try
            {
                await StartAsync(azurite);
                return;
            }
            catch (InvalidOperationException e)
            {
                // Exited early, most likely because the port was taken in the meantime: try another one.
                last = e;
                await KillAsync();
            }
            catch (TimeoutException e)
            {
                await KillAsync();
                throw new InvalidOperationException($"{e.Message} (set SALESFLOW_AZURITE_START_SECONDS to wait longer)\n{Output}", e);
            }
        }

        throw new InvalidOperationException($"Azurite did not start: {last?.Message}\n{Output}", last);
    }

    public async Task DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
    }

    private async Task StartAsync(string azurite)
    {
        var info = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in new[]
                 {
                     "--queueHost", "127.0.0.1", "--queuePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null for " + azurite);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"azurite-queue exited with code {_process.ExitCode}.");
            }

            if (await AnswersAsync(Port))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"azurite-queue did not listen on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds:0} s.");
    }

    private async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
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

    private static async Task<bool> AnswersAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs <c>bash tools/test-services.sh install</c> once when node_modules is missing. A lock file
    /// keeps parallel fixtures (and parallel test processes) from installing at the same time.
    /// </summary>
    private static async Task EnsureInstalledAsync(string root, string azurite)
    {
        if (File.Exists(azurite))
        {
            return;
        }

        await InstallGate.WaitAsync();
        try
        {
            var lockPath = Path.Combine(root, "tools", "test-services", ".install.lock");
            using var fileLock = await AcquireFileLockAsync(lockPath, TimeSpan.FromMinutes(10));
            if (File.Exists(azurite))
            {
                return;
            }

            var info = new ProcessStartInfo("bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = root,
            };
            info.ArgumentList.Add(Path.Combine(root, "tools", "test-services.sh"));
            info.ArgumentList.Add("install");
            using var install = Process.Start(info)!;
            var stdout = install.StandardOutput.ReadToEndAsync();
            var stderr = install.StandardError.ReadToEndAsync();
            await install.WaitForExitAsync();
            if (install.ExitCode != 0 || !File.Exists(azurite))
            {
                throw new InvalidOperationException($"'bash tools/test-services.sh install' failed ({install.ExitCode}); Azurite tests need npm.\n{await stdout}\n{await stderr}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SalesFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SalesFlow.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;

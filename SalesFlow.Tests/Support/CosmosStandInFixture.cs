using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SalesFlow.Core.Adapters.Azure.Cosmos;

namespace SalesFlow.Tests.Support;

/// <summary>
/// The Cosmos DB stand-in (<c>@vercel/cosmosdb-server</c> 1.0.1, in-memory, plain http) on a free
/// loopback port, installed into <c>tools/test-services</c> by npm on first use. One per test
/// collection; each test creates its own database in it.
/// </summary>
public sealed class CosmosStandInFixture : IAsyncLifetime
{
    /// <summary>The emulator's well-known key; the stand-in accepts any key, the SDK needs a valid base64 one.</summary>
    public const string WellKnownKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private const string PackageSpec = "@vercel/cosmosdb-server@1.0.1";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public int Port { get; private set; }

    public string ConnectionString => $"AccountEndpoint=http://127.0.0.1:{Port}/;AccountKey={WellKnownKey};";

    /// <summary>A fresh database of the adapter (created with its containers) in the running stand-in.</summary>
    public async Task<CosmosStores> CreateStoresAsync(string? databaseName = null)
    {
        var stores = CosmosStoreFactory.Create(new CosmosOptions
        {
            ConnectionString = ConnectionString,
            DatabaseName = databaseName ?? "test-" + Guid.NewGuid().ToString("N")[..12],
        });
        await stores.InitializeAsync(CancellationToken.None);
        return stores;
    }

    public async Task InitializeAsync()
    {
        var servicesDir = Path.Combine(RepoRoot(), "tools", "test-services");
        var cli = Path.Combine(servicesDir, "node_modules", "@vercel", "cosmosdb-server", "lib", "cli.js");
        await EnsureInstalledAsync(servicesDir, cli);

        Port = FreePort();
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = servicesDir,
        };
        foreach (var arg in new[] { cli, "--host", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-ssl" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node for the Cosmos stand-in.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Cosmos stand-in exited with {_process.ExitCode}: {Output}");
            }

            if (await PortOpenAsync(Port))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The Cosmos stand-in did not open port {Port} within {StartTimeout.TotalSeconds} s: {Output}");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Walks up from the test binaries to the directory holding SalesFlow.sln.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SalesFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"SalesFlow.sln not found above {AppContext.BaseDirectory}.");
    }

    private static bool Installed(string servicesDir, string cli) =>
        File.Exists(cli) && (File.Exists(Path.Combine(servicesDir, "node_modules", ".bin", "cosmosdb-server")) || OperatingSystem.IsWindows());

    /// <summary>
    /// Installs the stand-in when missing. A lock file serialises fixtures of parallel test runs
    /// (several processes may start at once); whoever gets the lock second finds it installed.
    /// </summary>
    private static async Task EnsureInstalledAsync(string servicesDir, string cli)
    {
        if (Installed(servicesDir, cli))
        {
            return;
        }

        Directory.CreateDirectory(servicesDir);
        var lockPath = Path.Combine(servicesDir, ".install.lock");
        var deadline = DateTime.UtcNow + InstallTimeout;
        FileStream? held = null;
        while (held is null)
        {
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }

        await using (held)
        {
            if (Installed(servicesDir, cli))
            {
                return;
            }

            // With a committed package.json (and lock file) the pinned set is installed; otherwise just the stand-in, without writing a manifest.
            var args = File.Exists(Path.Combine(servicesDir, "package.json"))
                ? new[] { "install", "--no-audit", "--no-fund", "--prefix", servicesDir }
                : ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", servicesDir, PackageSpec];
            var info = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = servicesDir,
            };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var npm = Process.Start(info) ?? throw new InvalidOperationException("Could not start npm (is Node.js installed?).");
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(InstallTimeout);
            await npm.WaitForExitAsync(timeout.Token);
            if (npm.ExitCode != 0 || !File.Exists(cli))
            {
                throw new InvalidOperationException($"npm install of {PackageSpec} failed ({npm.ExitCode}): {await stdout} {await stderr}");
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 20_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> PortOpenAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CosmosStandInCollection : ICollectionFixture<CosmosStandInFixture>
{
    public const string Name = "Cosmos stand-in";
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SalesFlow.Tests.Support;

/// <summary>Where this repository is, seen from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
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
}

/// <summary>
/// The npm-installed stand-ins (Azurite, the Cosmos DB stand-in) in tools/test-services: installed on
/// first use by <c>bash tools/test-services.sh install</c>, which pins both.
/// </summary>
public static class TestServices
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    public static string Directory => Path.Combine(RepoPaths.Root, "tools", "test-services");

    /// <summary>
    /// Installs the stand-ins when <paramref name="mustExist"/> is missing. A lock file keeps parallel
    /// fixtures (and parallel test processes) from installing at the same time.
    /// </summary>
    public static async Task EnsureInstalledAsync(string mustExist)
    {
        if (File.Exists(mustExist))
        {
            return;
        }

        await InstallGate.WaitAsync();
        try
        {
            await using var fileLock = await AcquireFileLockAsync(Path.Combine(Directory, ".install.lock"));
            if (File.Exists(mustExist))
            {
                return;
            }

            var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
            info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tools", "test-services.sh"));
            info.ArgumentList.Add("install");
            using var install = Process.Start(info)!;
            var stdout = install.StandardOutput.ReadToEndAsync();
            var stderr = install.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(InstallTimeout);
            await install.WaitForExitAsync(timeout.Token);
            if (install.ExitCode != 0 || !File.Exists(mustExist))
            {
                throw new InvalidOperationException($"'bash tools/test-services.sh install' failed ({install.ExitCode}); these tests need Node.js and npm.\n{await stdout}\n{await stderr}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path)
    {
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}

/// <summary>
/// A test server run as a child process on a free loopback port: output captured for failure
/// messages, ready when the port accepts connections, killed with its process tree.
/// </summary>
public sealed class LocalServerProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private LocalServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

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

    /// <summary>Starts <paramref name="fileName"/> with the arguments <paramref name="arguments"/> makes for a free port, retrying on another port if it exits at once.</summary>
    public static async Task<LocalServerProcess> StartAsync(string name, string fileName, Func<int, IEnumerable<string>> arguments, TimeSpan startTimeout, string? workingDirectory = null)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? Path.GetTempPath() };
            foreach (var argument in arguments(port))
            {
                info.ArgumentList.Add(argument);
            }

            var server = new LocalServerProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {name} ({fileName})."), port);
            server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
            server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            server._process.BeginOutputReadLine();
            server._process.BeginErrorReadLine();

            var deadline = DateTime.UtcNow + startTimeout;
            while (DateTime.UtcNow < deadline && !server._process.HasExited && !await AcceptsAsync(port))
            {
                await Task.Delay(100);
            }

            if (!server._process.HasExited && await AcceptsAsync(port))
            {
                return server;
            }

            var exited = server._process.HasExited;
            await server.DisposeAsync();
            if (!exited)
            {
                throw new TimeoutException($"{name} did not listen on 127.0.0.1:{port} within {startTimeout.TotalSeconds:0} s.\n{server.Output}");
            }

            // Exited at once, most likely because the port was taken meanwhile: try another one.
            last = new InvalidOperationException($"{name} exited at once:\n{server.Output}");
        }

        throw last!;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}

using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// The real app process started the way the Functions host starts the worker (its gRPC endpoint given). No Functions
/// host runs here, so the endpoint is a closed loopback port: the start gets as far as the worker calling the host.
/// </summary>
public sealed class WorkerStartupTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "salesflow-worker-" + Guid.NewGuid().ToString("N"));

    private static Dictionary<string, string> StartedByTheHost(params (string Key, string Value)[] more)
    {
        var environment = new Dictionary<string, string>
        {
            // The worker's configuration key for --functions-uri (HostingMode.HostEndpointKey), here from the environment.
            ["Functions__Worker__HostEndpoint"] = $"http://127.0.0.1:{LocalServerProcess.FreePort()}/",
            ["SalesFlow__Queue"] = "storage",
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        };
        foreach (var (key, value) in more)
        {
            environment[key] = value;
        }

        return environment;
    }

    [Fact]
    public async Task StartedByTheFunctionsHostTheAppRunsAsTheIsolatedWorkerAndCallsTheHost()
    {
        var (exitCode, output) = await SalesFlowAppProcess.RunToExitAsync(_dataDir, StartedByTheHost());

        Assert.NotEqual(0, exitCode);
        Assert.Contains("GrpcWorkerClient", output, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost:7071", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderTheHostAnInvalidSettingStillStopsTheStartWithOneLineNamingIt()
    {
        var (exitCode, output) = await SalesFlowAppProcess.RunToExitAsync(_dataDir, StartedByTheHost(("Conversation__BurstWindow", "00:02:00")));

        Assert.Equal(2, exitCode);
        Assert.Contains("Conversation:BurstWindow", output, StringComparison.Ordinal);
        Assert.DoesNotContain("GrpcWorkerClient", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderTheHostTheQueuesMustBeStorageQueues()
    {
        var (exitCode, output) = await SalesFlowAppProcess.RunToExitAsync(_dataDir, StartedByTheHost(("SalesFlow__Queue", "embedded")));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SalesFlow:Queue must be 'storage' under the Functions host", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// <c>dotnet publish SalesFlow.Functions --no-build</c> (after the suite's own build, same configuration) gives the layout
/// the Functions host loads: functions.metadata with a trigger per function of the catalog, worker.config.json for
/// dotnet-isolated, host.json, and the WebJobs extensions the host needs for the triggers.
/// </summary>
public sealed class PublishedFunctionAppTests : IClassFixture<PublishedFunctionAppTests.Published>
{
    private readonly Published _published;

    public PublishedFunctionAppTests(Published published) => _published = published;

    public sealed class Published : IDisposable
    {
        public Published()
        {
            var configuration = typeof(PublishedFunctionAppTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoFiles.Root,
            };
            foreach (var arg in new[] { "publish", "SalesFlow.Functions", "-c", configuration, "--no-build", "-o", Directory })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet publish.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet publish did not finish in 5 minutes.");
            }

            Output = output.Result + error.Result;
            ExitCode = process.ExitCode;
        }

        public string Directory { get; } = Path.Combine(Path.GetTempPath(), "salesflow-publish-" + Guid.NewGuid().ToString("N"));

        public int ExitCode { get; }

        public string Output { get; }

        public string PathOf(string file) => Path.Combine(Directory, file);

        public void Dispose()
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
    }

    private Dictionary<string, JsonElement> Metadata()
    {
        Assert.True(_published.ExitCode == 0, _published.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(_published.PathOf("functions.metadata")));
        return json.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void FunctionsMetadataHasTheTriggerOfEveryFunctionOfTheCatalog()
    {
        var metadata = Metadata();

        Assert.Equal(FunctionCatalog.All.Select(f => f.Name).Order(StringComparer.Ordinal), metadata.Keys.Order(StringComparer.Ordinal));
        foreach (var http in FunctionCatalog.Http)
        {
            var trigger = Trigger(metadata[http.Name]);
            Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal(http.Route, trigger.GetProperty("route").GetString());
            Assert.Equal(http.AuthLevel.ToString(), trigger.GetProperty("authLevel").GetString());
            Assert.Equal(http.Methods, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!));
        }

        foreach (var queue in FunctionCatalog.Queues)
        {
            var trigger = Trigger(metadata[queue.Name]);
            Assert.Equal(("queueTrigger", queue.QueueName, "AzureWebJobsStorage"), (trigger.GetProperty("type").GetString(), trigger.GetProperty("queueName").GetString(), trigger.GetProperty("connection").GetString()));
        }

        foreach (var timer in FunctionCatalog.Timers)
        {
            var trigger = Trigger(metadata[timer.Name]);
            Assert.Equal(("timerTrigger", timer.Schedule), (trigger.GetProperty("type").GetString(), trigger.GetProperty("schedule").GetString()));
        }

        // The lead orchestration and its activities are in the metadata too, run only by the host.
        var others = FunctionCatalog.All.OfType<FunctionCatalog.OtherFunction>().ToList();
        Assert.Contains(others, f => f.Trigger == "OrchestrationTrigger");
        Assert.Contains(others, f => f.Trigger == "ActivityTrigger");
        foreach (var other in others)
        {
            Assert.Equal(char.ToLowerInvariant(other.Trigger[0]) + other.Trigger[1..], Trigger(metadata[other.Name]).GetProperty("type").GetString());
        }

        // The functions whose requests can store a lead's message bind the Durable client that wakes its orchestration.
        foreach (var name in new[] { "webhooks", "conversations", "chat", Core.Queue.Queues.ProcessInbound })
        {
            Assert.Contains(metadata[name].GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "durableClient");
        }
    }

    [Fact]
    public void WorkerConfigDescribesADotnetIsolatedWorker()
    {
        Assert.True(_published.ExitCode == 0, _published.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(_published.PathOf("worker.config.json")));
        var description = json.RootElement.GetProperty("description");

        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("SalesFlow.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
    }

    [Fact]
    public void HostJsonIsTheIsolatedWorkersWithoutCustomHandlerOrExtensionBundle()
    {
        Assert.True(_published.ExitCode == 0, _published.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(_published.PathOf("host.json")));
        var root = json.RootElement;

        Assert.False(root.TryGetProperty("customHandler", out _));
        Assert.False(root.TryGetProperty("extensionBundle", out _));
        Assert.Equal("", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("base64", root.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString());
        Assert.True(root.GetProperty("extensions").GetProperty("durableTask").TryGetProperty("hubName", out _));
    }

    /// <summary>
    /// The Worker SDK writes extensions.json at the app root, each extension's hintPath pointing into .azurefunctions/
    /// where it puts the WebJobs extension assemblies the host loads for the triggers.
    /// </summary>
    [Fact]
    public void TheHostExtensionsForTheTriggersAreInTheOutput()
    {
        Assert.True(_published.ExitCode == 0, _published.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(_published.PathOf("extensions.json")));
        var extensions = json.RootElement.GetProperty("extensions").EnumerateArray().ToArray();

        Assert.Contains(extensions, e => e.GetProperty("name").GetString() == "AzureStorageQueues");
        Assert.All(extensions, e => Assert.True(File.Exists(_published.PathOf(e.GetProperty("hintPath").GetString()!)), e.GetProperty("hintPath").GetString()));
        Assert.True(System.IO.Directory.Exists(_published.PathOf(".azurefunctions")));
        Assert.Contains(extensions, e => e.GetProperty("name").GetString()!.Contains("DurableTask", StringComparison.Ordinal));
    }
}

using System.Text.Json;
using NCrontab;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Tests.Hosting;

/// <summary>The generated function.json files, read back from disk exactly as the Functions host reads them.</summary>
public sealed class FunctionMetadataWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "salesflow-fn-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private JsonElement[] Bindings(string function)
    {
        var path = Path.Combine(_dir, function, "function.json");
        Assert.True(File.Exists(path), $"{path} was not written");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("bindings").EnumerateArray().ToArray();
    }

    [Fact]
    public void WritesOneFolderWithFunctionJsonPerCatalogFunctionAndNothingElse()
    {
        var written = FunctionMetadataWriter.Write(_dir);

        var expected = FunctionCatalog.All.Select(f => f.Name).Order().ToArray();
        Assert.Equal(expected, written.Order().ToArray());
        Assert.Equal(expected, Directory.GetDirectories(_dir).Select(Path.GetFileName).Order().ToArray());
        Assert.Equal(expected.Length, expected.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void EveryHttpFunctionHasAnHttpTriggerWithItsRouteMethodsAndAuthLevelAndAnHttpOutput()
    {
        FunctionMetadataWriter.Write(_dir);

        foreach (var function in FunctionCatalog.Http)
        {
            var bindings = Bindings(function.Name);
            Assert.Equal(2, bindings.Length);
            var trigger = bindings[0];
            Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal("in", trigger.GetProperty("direction").GetString());
            Assert.Equal(function.Route, trigger.GetProperty("route").GetString());
            Assert.Equal(function.Methods, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray());
            Assert.Equal(function.AuthLevel == HttpAuthLevel.Anonymous ? "anonymous" : "function", trigger.GetProperty("authLevel").GetString());
            Assert.Equal("http", bindings[1].GetProperty("type").GetString());
            Assert.Equal("out", bindings[1].GetProperty("direction").GetString());
        }
    }

    [Fact]
    public void WebhooksAndProbesAreAnonymousAndEveryManagementApiNeedsAFunctionKey()
    {
        FunctionMetadataWriter.Write(_dir);

        string AuthLevel(string name) => Bindings(name)[0].GetProperty("authLevel").GetString()!;
        Assert.Equal("anonymous", AuthLevel("webhooks"));
        Assert.Equal("anonymous", AuthLevel("verify"));
        Assert.Equal("anonymous", AuthLevel("health"));
        Assert.Equal("anonymous", AuthLevel("ready"));
        foreach (var management in new[] { "conversations", "leads", "outbox", "intelligence", "admin" })
        {
            Assert.Equal("function", AuthLevel(management));
            Assert.StartsWith("api/", Bindings(management)[0].GetProperty("route").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryQueueFunctionHasAQueueTriggerOnItsQueueThroughAzureWebJobsStorage()
    {
        FunctionMetadataWriter.Write(_dir);

        Assert.Equal([Queues.ProcessInbound, Queues.Deliver, Queues.IngestKnowledge], FunctionCatalog.Queues.Select(q => q.QueueName).ToArray());
        foreach (var function in FunctionCatalog.Queues)
        {
            var trigger = Assert.Single(Bindings(function.Name));
            Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal("in", trigger.GetProperty("direction").GetString());
            Assert.Equal(FunctionMetadataWriter.QueueBindingName, trigger.GetProperty("name").GetString());
            Assert.Equal(function.QueueName, trigger.GetProperty("queueName").GetString());
            Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
        }
    }

    [Fact]
    public void EveryTimerFunctionHasATimerTriggerWithASixFieldScheduleNCrontabAccepts()
    {
        FunctionMetadataWriter.Write(_dir);

        foreach (var function in FunctionCatalog.Timers)
        {
            var trigger = Assert.Single(Bindings(function.Name));
            Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal(FunctionMetadataWriter.TimerBindingName, trigger.GetProperty("name").GetString());
            var schedule = trigger.GetProperty("schedule").GetString()!;
            Assert.Equal(function.Schedule, schedule);
            Assert.Equal(6, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.NotNull(CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
        }
    }

    [Fact]
    public void OutboxSweepRunsEveryMinute()
    {
        var sweep = Assert.Single(FunctionCatalog.Timers, t => t.Name == "outbox-sweep");
        var schedule = CrontabSchedule.Parse(sweep.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var start = new DateTime(2026, 1, 1, 12, 0, 30, DateTimeKind.Utc);

        Assert.Equal([start.AddSeconds(30), start.AddSeconds(90), start.AddSeconds(150)], schedule.GetNextOccurrences(start, start.AddMinutes(3)).ToArray());
    }

    [Fact]
    public void RemovesTheFolderOfAFunctionNoLongerInTheCatalogButKeepsOtherFolders()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "old-function"));
        File.WriteAllText(Path.Combine(_dir, "old-function", "function.json"), "{}");
        Directory.CreateDirectory(Path.Combine(_dir, "runtimes"));

        FunctionMetadataWriter.Write(_dir);

        Assert.False(Directory.Exists(Path.Combine(_dir, "old-function")));
        Assert.True(Directory.Exists(Path.Combine(_dir, "runtimes")));
    }

    [Fact]
    public void TheCommandLineSwitchWritesTheMetadataAndReturnsZeroWithoutStartingTheApp()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = FunctionMetadataWriter.TryRun(["--write-function-metadata", _dir], output, error);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(_dir, "process-inbound", "function.json")));
        Assert.Contains("process-inbound", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheSwitchTheAppStartsAndWithoutADirectoryItIsAUsageError()
    {
        Assert.Null(FunctionMetadataWriter.TryRun([], TextWriter.Null, TextWriter.Null));
        Assert.Null(FunctionMetadataWriter.TryRun(["--urls", "http://127.0.0.1:1"], TextWriter.Null, TextWriter.Null));
        using var error = new StringWriter();
        Assert.Equal(2, FunctionMetadataWriter.TryRun(["--write-function-metadata"], TextWriter.Null, error));
        Assert.Contains("--write-function-metadata", error.ToString(), StringComparison.Ordinal);
    }
}

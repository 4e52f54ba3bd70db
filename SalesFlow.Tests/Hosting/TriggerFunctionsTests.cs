using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using SalesFlow.Functions.Orchestrations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Runners;
using SalesFlow.Functions.Triggers;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>The queue and timer functions (thin classes over our ports), and the standalone runners that drive the same handlers.</summary>
public sealed class TriggerFunctionsTests
{
    private static Mock<IWorkHandler> WorkHandler(string queue)
    {
        var handler = new Mock<IWorkHandler>();
        handler.SetupGet(h => h.Queue).Returns(queue);
        return handler;
    }

    private static Mock<ITimerHandler> TimerHandler(string name)
    {
        var handler = new Mock<ITimerHandler>();
        handler.SetupGet(h => h.Name).Returns(name);
        return handler;
    }

    public static TheoryData<string> QueueFunctionNames() => [.. FunctionCatalog.Queues.Select(q => q.Name)];

    public static TheoryData<string> TimerFunctionNames() => [.. FunctionCatalog.Timers.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(QueueFunctionNames))]
    public async Task AQueueFunctionHandsTheMessageWithItsIdAndDequeueCountToTheHandlerOfItsQueue(string name)
    {
        var function = Assert.Single(FunctionCatalog.Queues, q => q.Name == name);
        var handlers = FunctionCatalog.Queues.ToDictionary(q => q.QueueName, q => WorkHandler(q.QueueName));
        var durable = new Mock<DurableTaskClient>("durable").Object;
        var accessor = new DurableClientAccessor();
        var functions = new QueueFunctions(new WorkDispatcher(handlers.Values.Select(h => h.Object)), accessor);

        await (Task)function.Method.Invoke(functions, [.. function.Method.GetParameters().Select(p => p.ParameterType switch
        {
            _ when p.ParameterType == typeof(DurableTaskClient) => durable,
            _ when p.ParameterType == typeof(long) => 3L,
            _ when p.ParameterType == typeof(CancellationToken) => CancellationToken.None,
            _ when p.Name == "id" => "message-7",
            _ => (object)"{\"clientId\":\"c1\"}",
        })])!;

        handlers[function.QueueName].Verify(h => h.HandleAsync(new WorkItem("message-7", function.QueueName, "{\"clientId\":\"c1\"}", 3), It.IsAny<CancellationToken>()), Times.Once);
        Assert.All(handlers.Where(h => h.Key != function.QueueName), h => h.Value.Verify(x => x.HandleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()), Times.Never));
    }

    [Fact]
    public async Task TheProcessInboundFunctionHandsItsDurableClientToTheTurnSoTheTurnCanWakeTheLeadsOrchestration()
    {
        var handler = WorkHandler(Queues.ProcessInbound);
        var accessor = new DurableClientAccessor();
        var durable = new Mock<DurableTaskClient>("durable").Object;
        DurableTaskClient? seenByTheTurn = null;
        handler.Setup(h => h.HandleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback(() => seenByTheTurn = accessor.Client).Returns(Task.CompletedTask);

        await new QueueFunctions(new WorkDispatcher([handler.Object]), accessor).ProcessInbound("{}", "m1", 1, durable, CancellationToken.None);

        Assert.Same(durable, seenByTheTurn);
    }

    [Fact]
    public async Task AFailingHandlerFailsTheQueueFunctionSoTheHostRetriesAndAtLastParksTheMessage()
    {
        var handler = WorkHandler(Queues.Deliver);
        handler.Setup(h => h.HandleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("vendor down"));
        var functions = new QueueFunctions(new WorkDispatcher([handler.Object]), new DurableClientAccessor());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => functions.Deliver("{}", "m1", 1, CancellationToken.None));

        Assert.Equal("vendor down", error.Message);
    }

    [Theory]
    [MemberData(nameof(TimerFunctionNames))]
    public async Task ATimerFunctionRunsTheHandlerOfItsName(string name)
    {
        var function = Assert.Single(FunctionCatalog.Timers, t => t.Name == name);
        var handlers = FunctionCatalog.Timers.ToDictionary(t => t.Name, t => TimerHandler(t.Name));
        var functions = new TimerFunctions(new TimerDispatcher(handlers.Values.Select(h => h.Object)));

        await (Task)function.Method.Invoke(functions, [new TimerInfo(), CancellationToken.None])!;

        handlers[name].Verify(h => h.RunAsync(It.IsAny<CancellationToken>()), Times.Once);
        Assert.All(handlers.Where(h => h.Key != name), h => h.Value.Verify(x => x.RunAsync(It.IsAny<CancellationToken>()), Times.Never));
    }

    [Fact]
    public async Task StandaloneTheQueueRunnerDrainsTheQueueOfEveryQueueFunctionIntoItsHandler()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "salesflow-runner-" + Guid.NewGuid().ToString("N"));
        var handled = new ConcurrentDictionary<string, string>();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["SalesFlow:DataDir"] = dataDir;
        builder.Configuration["DemoClient:Enabled"] = "false";
        builder.AddSalesFlow(new HostingMode(UnderFunctionsHost: false));
        builder.Services.RemoveAll<IWorkHandler>();
        foreach (var queue in FunctionCatalog.Queues.Select(q => q.QueueName))
        {
            var handler = WorkHandler(queue);
            handler.Setup(h => h.HandleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()))
                .Callback<WorkItem, CancellationToken>((item, _) => handled[item.Queue] = item.Payload)
                .Returns(Task.CompletedTask);
            builder.Services.AddSingleton(handler.Object);
        }

        await using (var app = builder.Build())
        {
            await app.StartAsync();
            var queue = app.Services.GetRequiredService<IWorkQueue>();
            foreach (var function in FunctionCatalog.Queues)
            {
                await queue.EnqueueAsync(function.QueueName, $"{{\"for\":\"{function.Name}\"}}", TimeSpan.Zero, null, CancellationToken.None);
            }

            await Eventually.ReturnsAsync(() => Task.FromResult(handled.Count), n => n == FunctionCatalog.Queues.Count, because: "every queue is drained");
            await app.StopAsync();
        }

        Assert.All(FunctionCatalog.Queues, f => Assert.Equal($"{{\"for\":\"{f.Name}\"}}", handled[f.QueueName]));
        SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, recursive: true);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// The catalog (read from the [Function] methods' trigger attributes) against the app's own DI container and route
/// table, built with the same <c>AddSalesFlow</c>/<c>UseSalesFlowPipeline</c> calls as Program.cs.
/// </summary>
public sealed class FunctionCatalogContractTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "salesflow-contract-" + Guid.NewGuid().ToString("N"));
    private readonly List<WebApplication> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private WebApplication BuildApp(bool underFunctionsHost)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration["SalesFlow:DataDir"] = Path.Combine(_dataDir, underFunctionsHost ? "host" : "standalone");
        if (underFunctionsHost)
        {
            // Under the host the work queues are Storage queues (nothing is contacted while building the app).
            builder.Configuration["SalesFlow:Queue"] = "storage";
            builder.Configuration["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        }

        builder.AddSalesFlow(new HostingMode(underFunctionsHost));
        var app = builder.Build();
        app.UseSalesFlowPipeline();
        _apps.Add(app);
        return app;
    }

    /// <summary>The route table (the console's root page included: the "home" function takes it).</summary>
    private static RouteEndpoint[] Endpoints(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToArray();

    [Fact]
    public void TheCatalogIsReadFromTheTriggerAttributesOfTheFunctionMethods()
    {
        Assert.Equal(
            ["admin", "analytics", "api-reference", "chat", "clients", "compliance", "console", "conversations", "health", "home", "intelligence", "knowledge", "leads", "me", "openapi", "operations", "outbox", "playbooks", "ready", "recommendations", "usage", "verify", "webhooks"],
            FunctionCatalog.Http.Select(f => f.Name).Order(StringComparer.Ordinal));
        var webhooks = Assert.Single(FunctionCatalog.Http, f => f.Name == "webhooks");
        Assert.Equal(("api/webhooks/{*rest}", HttpAuthLevel.Anonymous), (webhooks.Route, webhooks.AuthLevel));
        Assert.Equal(["get", "post"], webhooks.Methods);
        Assert.Equal(HttpAuthLevel.Anonymous, Assert.Single(FunctionCatalog.Http, f => f.Name == "leads").AuthLevel);

        Assert.Equal([Queues.Deliver, Queues.IngestKnowledge, Queues.ProcessInbound, Queues.SyncCrm], FunctionCatalog.Queues.Select(q => q.QueueName).Order(StringComparer.Ordinal));
        Assert.All(FunctionCatalog.Queues, q => Assert.Equal((q.Name, QueueFunction.StorageConnection), (q.QueueName, q.Connection)));
        Assert.Equal(TimerSchedules.OutboxSweep, Assert.Single(FunctionCatalog.Timers, t => t.Name == TimerNames.OutboxSweep).Schedule);
        Assert.Equal(TimerSchedules.InboundSweep, Assert.Single(FunctionCatalog.Timers, t => t.Name == TimerNames.InboundSweep).Schedule);
    }

    [Fact]
    public void EveryQueueFunctionHasTheHandlerOfItsQueueAndEveryWorkHandlerHasAQueueFunction()
    {
        var handlers = BuildApp(underFunctionsHost: false).Services.GetServices<IWorkHandler>().ToArray();

        Assert.Equal(FunctionCatalog.Queues.Select(f => f.QueueName).Order(StringComparer.Ordinal), handlers.Select(h => h.Queue).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryTimerFunctionHasATimerHandlerAndEveryTimerHandlerHasATimerFunction()
    {
        var handlers = BuildApp(underFunctionsHost: false).Services.GetServices<ITimerHandler>().ToArray();

        Assert.Equal(FunctionCatalog.Timers.Select(t => t.Name).Order(StringComparer.Ordinal), handlers.Select(h => h.Name).Order(StringComparer.Ordinal));
        Assert.All(FunctionCatalog.Timers, t => Assert.NotNull(TimerRunner.ScheduleOf(t)));
    }

    [Fact]
    public void EveryHttpRouteOfTheAppIsCoveredByExactlyOneHttpFunctionThatAllowsItsMethods()
    {
        var routes = Endpoints(BuildApp(underFunctionsHost: true));

        Assert.NotEmpty(routes);
        foreach (var endpoint in routes)
        {
            var path = HttpFunctionDispatchTests.SamplePath(endpoint.RoutePattern);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var function = Assert.Single(FunctionCatalog.Http, f => Matches(f.Route, path));
            Assert.All(methods, m => Assert.Contains(m.ToLowerInvariant(), function.Methods));
        }
    }

    [Fact]
    public void EveryHttpFunctionCoversAtLeastOneRouteOfTheApp()
    {
        var paths = Endpoints(BuildApp(underFunctionsHost: true)).Select(e => HttpFunctionDispatchTests.SamplePath(e.RoutePattern)).ToArray();

        Assert.All(FunctionCatalog.Http, f => Assert.Contains(paths, p => Matches(f.Route, p)));
    }

    [Fact]
    public void UnderTheFunctionsHostTheRunnersAreOff()
    {
        var hosted = BuildApp(underFunctionsHost: true).Services.GetServices<IHostedService>().ToArray();

        Assert.DoesNotContain(hosted, s => s is QueueRunner or TimerRunner);
    }

    [Fact]
    public void StandaloneTheRunnersRun()
    {
        var hosted = BuildApp(underFunctionsHost: false).Services.GetServices<IHostedService>().ToArray();

        Assert.Contains(hosted, s => s is QueueRunner);
        Assert.Contains(hosted, s => s is TimerRunner);
    }

    [Theory]
    [InlineData(new[] { "--functions-uri", "http://127.0.0.1:51234/", "--functions-worker-id", "w1" }, true)]
    [InlineData(new[] { "--host", "127.0.0.1", "--functions-uri=http://127.0.0.1:51234/" }, true)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:7071" }, false)]
    public void OnlyAStartByTheFunctionsHostRunsTheWorker(string[] args, bool underHost) =>
        Assert.Equal(underHost, HostingMode.FromStartup(args).UnderFunctionsHost);

    /// <summary>
    /// Whether the host's route template (same ASP.NET Core template syntax) matches the path, inline constraints
    /// included (the "home" function's {ignored:maxlength(0)?} matches only the root).
    /// </summary>
    private static bool Matches(string functionRoute, string path)
    {
        var template = TemplateParser.Parse(functionRoute);
        var values = new RouteValueDictionary();
        if (!new TemplateMatcher(template, new RouteValueDictionary()).TryMatch("/" + path.TrimStart('/'), values))
        {
            return false;
        }

        var resolver = new DefaultInlineConstraintResolver(Microsoft.Extensions.Options.Options.Create(new RouteOptions()), new ServiceCollection().BuildServiceProvider());
        var constraints = new RouteConstraintBuilder(resolver, functionRoute);
        foreach (var parameter in template.Parameters)
        {
            foreach (var inline in parameter.InlineConstraints)
            {
                constraints.AddResolvedConstraint(parameter.Name!, inline.Constraint);
            }

            if (parameter.IsOptional)
            {
                constraints.SetOptional(parameter.Name!);
            }
        }

        return constraints.Build().All(c => c.Value.Match(null, null, c.Key, values, RouteDirection.IncomingRequest));
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
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
/// The catalog against the app's own DI container and route table, built with the same
/// <c>AddSalesFlow</c>/<c>MapSalesFlow</c> calls as Program.cs: every function has a handler or route, and back.
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
        builder.Configuration[HostingMode.PortSetting] = underFunctionsHost ? "7999" : "";
        if (underFunctionsHost)
        {
            // Under the host the work queues are Storage queues (nothing is contacted while building the app).
            builder.Configuration["SalesFlow:Queue"] = "storage";
            builder.Configuration["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        }
        builder.AddSalesFlow();
        var app = builder.Build();
        app.MapSalesFlow();
        _apps.Add(app);
        return app;
    }

    private static RouteEndpoint[] Endpoints(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToArray();

    [Fact]
    public void EveryQueueFunctionHasTheHandlerOfItsQueueAndEveryWorkHandlerHasAQueueFunction()
    {
        var handlers = BuildApp(underFunctionsHost: false).Services.GetServices<IWorkHandler>().ToArray();

        foreach (var function in FunctionCatalog.Queues)
        {
            Assert.Single(handlers, h => h.Queue == function.QueueName);
        }

        foreach (var handler in handlers)
        {
            Assert.Single(FunctionCatalog.Queues, f => f.QueueName == handler.Queue);
        }
    }

    [Fact]
    public void EveryTimerFunctionHasATimerHandlerAndEveryTimerHandlerHasATimerFunction()
    {
        var handlers = BuildApp(underFunctionsHost: false).Services.GetServices<ITimerHandler>().ToArray();

        Assert.Equal(FunctionCatalog.Timers.Select(t => t.Name).Order(), handlers.Select(h => h.Name).Order());
        Assert.All(FunctionCatalog.Timers, t => Assert.NotNull(TimerRunner.ScheduleOf(t)));
    }

    [Fact]
    public void EveryHttpRouteOfTheAppIsProxiedByAnHttpFunctionThatAllowsItsMethods()
    {
        var app = BuildApp(underFunctionsHost: true);

        var routes = Endpoints(app).Where(e => e.Metadata.GetMetadata<CustomHandlerEndpoint>() is null).ToArray();
        Assert.NotEmpty(routes);
        foreach (var endpoint in routes)
        {
            var path = SamplePath(endpoint.RoutePattern);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var covering = FunctionCatalog.Http.Where(f => Matches(f.Route, path)).ToArray();
            var function = Assert.Single(covering);
            Assert.All(methods, m => Assert.Contains(m.ToLowerInvariant(), function.Methods));
        }
    }

    [Fact]
    public void EveryHttpFunctionProxiesAtLeastOneRouteOfTheApp()
    {
        var paths = Endpoints(BuildApp(underFunctionsHost: true)).Where(e => e.Metadata.GetMetadata<CustomHandlerEndpoint>() is null).Select(e => SamplePath(e.RoutePattern)).ToArray();

        Assert.All(FunctionCatalog.Http, f => Assert.Contains(paths, p => Matches(f.Route, p)));
    }

    [Fact]
    public void UnderTheFunctionsHostEveryQueueAndTimerFunctionIsAnInvocationEndpointAndTheRunnersAreOff()
    {
        var app = BuildApp(underFunctionsHost: true);

        var invocations = Endpoints(app).Where(e => e.Metadata.GetMetadata<CustomHandlerEndpoint>() is { FunctionName: not "/" }).ToArray();
        var expected = FunctionCatalog.Queues.Select(f => f.Name).Concat(FunctionCatalog.Timers.Select(f => f.Name)).Order().ToArray();
        Assert.Equal(expected, invocations.Select(e => e.Metadata.GetMetadata<CustomHandlerEndpoint>()!.FunctionName).Order().ToArray());
        Assert.All(invocations, e =>
        {
            Assert.Equal("/" + e.Metadata.GetMetadata<CustomHandlerEndpoint>()!.FunctionName, e.RoutePattern.RawText);
            Assert.Equal(["POST"], e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods);
        });

        var hosted = app.Services.GetServices<IHostedService>().ToArray();
        Assert.DoesNotContain(hosted, s => s is QueueRunner or TimerRunner);
    }

    [Fact]
    public void StandaloneTheRunnersRunAndNoInvocationEndpointIsExposed()
    {
        var app = BuildApp(underFunctionsHost: false);

        var hosted = app.Services.GetServices<IHostedService>().ToArray();
        Assert.Contains(hosted, s => s is QueueRunner);
        Assert.Contains(hosted, s => s is TimerRunner);
        Assert.DoesNotContain(Endpoints(app), e => e.Metadata.GetMetadata<CustomHandlerEndpoint>() is { FunctionName: not "/" });
    }

    /// <summary>A concrete path the endpoint answers: every parameter filled with a sample segment.</summary>
    private static string SamplePath(RoutePattern pattern) =>
        string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart => "x1",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));

    /// <summary>Whether the host's route template (same ASP.NET Core template syntax) matches the path.</summary>
    private static bool Matches(string functionRoute, string path) =>
        new TemplateMatcher(TemplateParser.Parse(functionRoute), new RouteValueDictionary()).TryMatch("/" + path.TrimStart('/'), new RouteValueDictionary());
}

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Data.Sqlite;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Orchestrations;

namespace SalesFlow.Tests.Support;

/// <summary>
/// The app in-process on a real Kestrel at 127.0.0.1, in one of two shapes:
/// <list type="bullet">
/// <item>standalone: the WebApplication with <c>UseSalesFlowPipeline</c>, as Program.cs runs it;</item>
/// <item>behind HTTP functions: a stand-in for the isolated worker's ASP.NET Core integration (no Functions host runs
/// here). Like the worker's FunctionsEndpointDataSource it maps one endpoint per HTTP function from its trigger's route
/// (routePrefix "") and methods, and like FunctionsHttpProxyingMiddleware it invokes the [Function] method with the
/// request and executes the IResult it returns.</item>
/// </list>
/// Either way it records which endpoint of the route table answered each request.
/// </summary>
public sealed class InProcessApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;
    private readonly DurableTaskTestHost? _durable;

    private InProcessApp(WebApplication app, string dataDir, Uri baseUrl, DurableTaskTestHost? durable)
    {
        _app = app;
        _dataDir = dataDir;
        _durable = durable;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SalesFlowAppProcess.ApiKey);
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Behind functions: the Durable test host that runs the lead orchestrations.</summary>
    public DurableTaskTestHost? Durable => _durable;

    /// <summary>"METHOD path" → the route pattern of the endpoint that answered (null: none matched).</summary>
    public ConcurrentDictionary<string, string?> Answered { get; } = new();

    /// <summary>"METHOD path" → the HTTP function that received the request (behind functions only).</summary>
    public ConcurrentDictionary<string, string> ReceivedBy { get; } = new();

    public static Task<InProcessApp> StandaloneAsync(Dictionary<string, string?>? settings = null) => StartAsync(underFunctionsHost: false, settings ?? []);

    public static Task<InProcessApp> BehindHttpFunctionsAsync(Dictionary<string, string?> settings) => StartAsync(underFunctionsHost: true, settings);

    private static async Task<InProcessApp> StartAsync(bool underFunctionsHost, Dictionary<string, string?> settings)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "salesflow-inproc-" + Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SalesFlow:DataDir"] = dataDir,
            ["DemoClient:ApiKey"] = SalesFlowAppProcess.ApiKey,
            ["DemoClient:WhatsAppAppSecret"] = SalesFlowAppProcess.WhatsAppAppSecret,
            ["DemoClient:WhatsAppVerifyToken"] = SalesFlowAppProcess.WhatsAppVerifyToken,
            ["DemoClient:TwilioAuthToken"] = SalesFlowAppProcess.TwilioAuthToken,
            ["DemoClient:EmailWebhookSecret"] = SalesFlowAppProcess.EmailWebhookSecret,
            // The demo knowledge changes what the demo client answers and costs; its own tests turn it on.
            ["DemoClient:Knowledge"] = "false",
            ["Conversation:BurstWindow"] = "00:00:00.100",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSalesFlow(new HostingMode(underFunctionsHost));
        var app = builder.Build();
        InProcessApp? self = null;
        app.Use(async (context, next) =>
        {
            // Recorded as the response starts, not after it: a file response can reach the client before next returns.
            context.Response.OnStarting(() =>
            {
                self!.Answered[Key(context.Request)] = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                return Task.CompletedTask;
            });
            await next(context);
            self!.Answered[Key(context.Request)] = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        });
        DurableTaskTestHost? durable = null;
        if (underFunctionsHost)
        {
            // The Durable extension's part of the host: lead orchestrations run in the in-process test host, and the
            // functions that bind [DurableClient] get its client.
            durable = await LeadConversationTestHost.StartAsync(() => app.Services.GetRequiredService<LeadConversationActivities>());
            MapHttpFunctionsLikeTheWorker(app, durable.Client, r => self!.ReceivedBy[Key(r.Request)] = r.Function);
        }
        else
        {
            app.UseSalesFlowPipeline();
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new InProcessApp(app, dataDir, new Uri(address), durable);
        return self;
    }

    private static string Key(HttpRequest request) => $"{request.Method} {request.Path}";

    private static void MapHttpFunctionsLikeTheWorker(WebApplication app, DurableTaskClient durable, Action<(HttpRequest Request, string Function)> received)
    {
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            var order = 0;
            foreach (var function in FunctionCatalog.Http)
            {
                var endpoint = new RouteEndpointBuilder(
                    async context =>
                    {
                        received((context.Request, function.Name));
                        var instance = ActivatorUtilities.CreateInstance(context.RequestServices, function.Method.DeclaringType!);
                        var result = await (Task<IResult>)function.Method.Invoke(instance, [.. function.Method.GetParameters().Select(p => p.ParameterType == typeof(DurableTaskClient) ? (object)durable : context.Request)])!;
                        await result.ExecuteAsync(context);
                    },
                    RoutePatternFactory.Parse(function.Route),
                    order++)
                {
                    DisplayName = function.Name,
                };
                endpoint.Metadata.Add(new HttpMethodMetadata(function.Methods));
                endpoints.DataSources.Add(new SingleEndpointSource(endpoint.Build()));
            }
        });
    }

    private sealed class SingleEndpointSource(Endpoint endpoint) : EndpointDataSource
    {
        public override IReadOnlyList<Endpoint> Endpoints { get; } = [endpoint];

        public override Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => Microsoft.Extensions.FileProviders.NullChangeToken.Singleton;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_durable is not null)
        {
            await _durable.DisposeAsync();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

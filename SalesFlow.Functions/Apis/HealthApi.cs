using SalesFlow.Core.Clients;
using SalesFlow.Functions.Extensions;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Functions.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        // The Functions host probes GET / before it forwards anything to a custom handler.
        app.MapGet("/", () => TypedResults.Ok(new { service = "SalesFlow" })).ExcludeFromDescription().WithMetadata(new CustomHandlerEndpoint("/"));
        app.MapGet("/health", () => TypedResults.Ok(new { status = "healthy" })).WithName("Health").WithSummary("Liveness: the process answers.");
        app.MapGet("/ready", ReadyAsync).WithName("Ready").WithSummary("Readiness: the store answers and the queue runners are up (or the Functions host runs the queues).");
        return app;
    }

    private static async Task<IResult> ReadyAsync(IClientStore clients, QueueRunner runner, HostingMode mode, AdapterChoice adapters, IWorkQueueConsumer queue, ILogger<QueueRunner> logger, CancellationToken ct)
    {
        try
        {
            await clients.GetAsync("-readiness-probe-", ct); // one round trip to the store
            var backlog = await queue.CountAsync(Queues.ProcessInbound, ct);
            var poisoned = await queue.CountAsync(Queues.Poison(Queues.ProcessInbound), ct) + await queue.CountAsync(Queues.Poison(Queues.Deliver), ct)
                + await queue.CountAsync(Queues.Poison(Queues.IngestKnowledge), ct);
            var ready = mode.UnderFunctionsHost || runner.Started;
            var body = new { status = ready ? "ready" : "starting", mode = mode.Name, store = adapters.Store, queueAdapter = adapters.Queue, queue = new { processInbound = backlog, poison = poisoned } };
            return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Readiness check failed");
            return TypedResults.Json(new { status = "unavailable", error = "store or queue unreachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

using SalesFlow.Core.Adapters.Embedded;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Functions.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        // The Functions host probes GET / before it forwards anything to a custom handler.
        app.MapGet("/", () => TypedResults.Ok(new { service = "SalesFlow" })).ExcludeFromDescription();
        app.MapGet("/health", () => TypedResults.Ok(new { status = "healthy" })).WithName("Health").WithSummary("Liveness: the process answers.");
        app.MapGet("/ready", ReadyAsync).WithName("Ready").WithSummary("Readiness: the store answers and the queue runners are up.");
        return app;
    }

    private static async Task<IResult> ReadyAsync(SqliteDatabase db, QueueRunner runner, IWorkQueueConsumer queue, CancellationToken ct)
    {
        try
        {
            var backlog = await queue.CountAsync(Queues.ProcessInbound, ct);
            var poisoned = await queue.CountAsync(Queues.Poison(Queues.ProcessInbound), ct) + await queue.CountAsync(Queues.Poison(Queues.Deliver), ct)
                + await queue.CountAsync(Queues.Poison(Queues.IngestKnowledge), ct);
            var body = new { status = runner.Started ? "ready" : "starting", store = "sqlite", queue = new { processInbound = backlog, poison = poisoned } };
            return runner.Started ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            return TypedResults.Json(new { status = "unavailable", error = "store unreachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

using SalesFlow.Core.Clients;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Runners;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Functions.Apis;

public static class HealthApi
{
    /// <summary>The inbound journal's name among the queues of /health.</summary>
    public const string InboundJournalQueueName = "inbound-journal";

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", HealthAsync).WithName("Health").WithSummary("Liveness: the process answers; with each work queue's length and the age of its oldest item (on the embedded store also the inbound journal: webhooks acknowledged, not stored yet).")
            .WithTags("Health")
            .Produces<HealthDto>();
        app.MapGet("/ready", ReadyAsync).WithName("Ready").WithSummary("Readiness: the store answers, storage takes writes and every worker loop runs (or the Functions host runs the queues); 503 with the reasons otherwise.")
            .WithTags("Health")
            .Produces<ReadyDto>()
            .Produces<ReadyDto>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>Always 200 while the process answers: a queue that cannot be read is reported, not turned into a failed liveness probe.</summary>
    private static async Task<IResult> HealthAsync(HttpContext http, IWorkQueueConsumer queue, TimeProvider clock, ILogger<QueueRunner> logger, CancellationToken ct)
    {
        try
        {
            var now = clock.GetUtcNow();
            double? Age(DateTimeOffset? oldest) => oldest is { } at ? Math.Max(0, Math.Round((now - at).TotalSeconds, 1)) : null;
            var queues = new Dictionary<string, QueueHealthDto>();
            foreach (var name in Queues.All)
            {
                queues[name] = new QueueHealthDto(await queue.CountAsync(name, ct), Age(await queue.OldestEnqueuedAtAsync(name, ct)));
            }

            // The embedded store's webhooks acknowledged but not stored yet (InboundJournalRunner catches up after a burst).
            if (http.RequestServices.GetService<SqliteInboundJournal>() is { } journal)
            {
                queues[InboundJournalQueueName] = new QueueHealthDto(await journal.CountAsync(ct), Age(await journal.OldestReceivedAtAsync(ct)));
            }

            return TypedResults.Ok(new HealthDto("healthy", queues));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Reading the queues for /health failed");
            return TypedResults.Ok(new HealthDto("healthy", null, "queue unreachable"));
        }
    }

    private static async Task<IResult> ReadyAsync(IClientStore clients, QueueRunner runner, HostingMode mode, AdapterChoice adapters, IWorkQueueConsumer queue, RuntimeHealth health, ILogger<QueueRunner> logger, CancellationToken ct)
    {
        try
        {
            await clients.GetAsync("-readiness-probe-", ct); // one round trip to the store
            var backlog = await queue.CountAsync(Queues.ProcessInbound, ct);
            var poisoned = 0;
            foreach (var name in Queues.All)
            {
                poisoned += await queue.CountAsync(Queues.Poison(name), ct);
            }

            var reasons = health.Problems();
            var started = mode.UnderFunctionsHost || runner.Started;
            var status = reasons.Count > 0 ? "unavailable" : started ? "ready" : "starting";
            var body = new ReadyDto(status, reasons, mode.Name, adapters.Store, adapters.Queue, new ReadyQueueDto(backlog, poisoned));
            return status == "ready" ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Readiness check failed");
            return TypedResults.Json(new ReadyDto("unavailable", ["store or queue unreachable"], Error: "store or queue unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

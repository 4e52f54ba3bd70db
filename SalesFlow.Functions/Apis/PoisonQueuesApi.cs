using SalesFlow.Core.Queue;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// Work that failed too often is parked, never lost: operators list it and, once the cause is
/// fixed, replay it. Operator-only (admin key): a poison queue holds every client's work.
/// </summary>
public static class PoisonQueuesApi
{
    /// <summary>The most a Storage queue peek returns; a queue has no cursor to read further without taking messages.</summary>
    public const int MaxListed = 32;

    public static IEndpointRouteBuilder MapPoisonQueuesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin/queues").WithTags("Admin").RequireAdminKey();
        api.MapGet("/{queue}/poison", ListAsync).WithName("ListPoison")
            .WithSummary($"Work parked in <queue>-poison after too many failed tries: the oldest max (1..{MaxListed}, default {MaxListed}) items and how many are parked. Not paged: Storage queues can only peek at the front {MaxListed}; replay moves them all.")
            .Produces<PoisonQueueDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{queue}/poison/replay", ReplayAsync).WithName("ReplayPoison").WithSummary("Move every parked item back to its queue, due now, tries reset.")
            .Produces<PoisonReplayDto>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListAsync(string queue, int? max, HttpContext http, IPoisonQueueAdmin poison, IWorkQueueConsumer queues, CancellationToken ct)
    {
        if (UnknownQueue(http, queue) is { } bad)
        {
            return bad;
        }

        if (max is < 1 or > MaxListed)
        {
            return ErrorHandling.BadField(http, "max", $"max must be between 1 and {MaxListed}.");
        }

        var items = await poison.ListAsync(queue, max ?? MaxListed, ct);
        var parked = await queues.CountAsync(Queues.Poison(queue), ct); // approximate on Storage queues
        return TypedResults.Ok(new PoisonQueueDto(queue, parked, [.. items.Select(i => new PoisonItemDto(i.Id, i.Payload, i.DequeueCount, i.LastError))]));
    }

    private static async Task<IResult> ReplayAsync(string queue, HttpContext http, IPoisonQueueAdmin poison, ILogger<IPoisonQueueAdmin> logger, CancellationToken ct)
    {
        if (UnknownQueue(http, queue) is { } bad)
        {
            return bad;
        }

        var replayed = await poison.ReplayAsync(queue, ct);
        logger.LogWarning("Operator replayed {Count} poison items of {Queue}", replayed, queue);
        return TypedResults.Ok(new PoisonReplayDto(queue, replayed));
    }

    private static IResult? UnknownQueue(HttpContext http, string queue) =>
        Queues.All.Contains(queue) ? null : ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"No work queue '{queue}'; known: {string.Join(", ", Queues.All)}.", "queue");
}

using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// What a client's own operators need next to the outbox: their work parked in the poison queues (with replay) and
/// their scheduled follow-ups. Client-scoped: the admin poison routes see every client, these only the caller's.
/// </summary>
public static class OperationsApi
{
    /// <summary>Parked items listed per queue: as many as a Storage peek returns.</summary>
    public const int MaxPoisonPerQueue = 32;

    public const int DefaultFollowUps = 100;
    public const int MaxFollowUps = 500;

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/operations").WithTags("Operations").RequireClientKey();
        api.MapGet("/poison", ListPoisonAsync).WithName("ListClientPoison").Produces<ClientPoisonList>()
            .WithSummary($"This client's work parked after too many failed tries, per queue oldest first (at most {MaxPoisonPerQueue} per queue; on Storage queues only among the front {MaxPoisonPerQueue} of each).");
        api.MapPost("/poison/{queue}/{id}/replay", ReplayPoisonAsync).WithName("ReplayClientPoison").Produces<ClientPoisonReplay>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Moves one of this client's parked items back to its queue, due now, tries reset. 404 for an item that is not this client's.");
        api.MapGet("/followups", ListFollowUpsAsync).WithName("ListClientFollowUps").Produces<ScheduledFollowUpList>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary($"This client's scheduled follow-ups (standalone driver), earliest due first; limit 1..{MaxFollowUps} (default {DefaultFollowUps}). Under the Functions host the cadence runs in durable orchestrations and this list is empty.");
        return app;
    }

    private static async Task<IResult> ListPoisonAsync(HttpContext http, IPoisonQueueAdmin poison, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var items = new List<ClientPoisonItem>();
        foreach (var queue in Queues.All)
        {
            var parked = await poison.ListForClientAsync(queue, client.Id, MaxPoisonPerQueue, ct);
            items.AddRange(parked.Select(p => new ClientPoisonItem(queue, p.Id, p.Payload, p.DequeueCount, p.LastError)));
        }

        return TypedResults.Ok(new ClientPoisonList(items));
    }

    private static async Task<IResult> ReplayPoisonAsync(string queue, string id, HttpContext http, IPoisonQueueAdmin poison, ILogger<IPoisonQueueAdmin> logger, CancellationToken ct)
    {
        if (!Queues.All.Contains(queue))
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"No work queue '{queue}'; known: {string.Join(", ", Queues.All)}.", "queue");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        if (!await poison.ReplayForClientAsync(queue, client.Id, id, ct))
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"No parked item '{id}' of this client in {queue}.", "id");
        }

        logger.LogWarning("Client {ClientId} replayed poison item {Id} of {Queue}", client.Id, id, queue);
        return TypedResults.Ok(new ClientPoisonReplay(queue, id, true));
    }

    private static async Task<IResult> ListFollowUpsAsync(HttpContext http, IFollowUpTimerStore timers, ILeadStore leads, TimeProvider clock, string? limit, CancellationToken ct)
    {
        var take = DefaultFollowUps;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxFollowUps))
        {
            return ErrorHandling.BadField(http, "limit", $"limit must be a whole number from 1 to {MaxFollowUps}.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var now = clock.GetUtcNow();
        var found = await timers.ListForClientAsync(client.Id, take, ct);
        var items = new List<ScheduledFollowUp>(found.Count);
        foreach (var timer in found)
        {
            var lead = await leads.GetAsync(client.Id, timer.LeadId, ct);
            items.Add(new ScheduledFollowUp(timer.LeadId, lead?.Name, timer.Cycle, timer.StepsSent, timer.LastStepAt, timer.DueAt, timer.DueAt <= now));
        }

        return TypedResults.Ok(new ScheduledFollowUpList(items));
    }
}

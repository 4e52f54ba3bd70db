using SalesFlow.Core.Delivery;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public static class OutboxApi
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapOutboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/outbox").WithTags("Outbox").RequireClientKey();
        api.MapGet("/", ListAsync).WithName("ListOutbox")
            .WithSummary($"Outbound messages with their delivery status, newest first; optionally one lead (leadId) and status. Paged: limit 1..{MaxLimit} (default {DefaultLimit}), then ?cursor=<next> until next is null.")
            .Produces<OutboxPageDto>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/{outboxId}/resend", ResendAsync).WithName("ResendOutboxItem")
            .WithSummary("Sends a failed or in-doubt item again (an operator's decision after checking the vendor's log): back to pending with its attempts reset, and delivered. 409 for any other status.")
            .Produces<OutboxItemDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> ResendAsync(string outboxId, HttpContext http, IOutboxStore outbox, IWorkQueue queue, TimeProvider clock, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var item = await outbox.GetAsync(client.Id, outboxId, ct);
        if (item is null)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"No outbox item '{outboxId}'.", "outboxId");
        }

        var resent = await outbox.ResendAsync(client.Id, outboxId, $"resent by request; before: {item.Status}: {item.Error}", clock.GetUtcNow(), ct);
        if (resent is null)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status409Conflict, $"Only a failed or in_doubt item is resent; this one is {item.Status}.", "status");
        }

        await queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(client.Id, outboxId)), TimeSpan.Zero, DeliverWork.CoalesceKey(outboxId), ct);
        return TypedResults.Ok(OutboxItemDto.From(resent));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IOutboxStore outbox, string? leadId, string? status, string? cursor, string? limit, CancellationToken ct)
    {
        if (status is not null && OutboxStatus.Rank(status) < 0)
        {
            return ErrorHandling.BadField(http, "status", $"status must be one of {string.Join(", ", OutboxStatus.All)}.");
        }

        var listing = Paging.Listing("outbox", leadId, status);
        if (Paging.TryRead(http, listing, cursor, limit, DefaultLimit, MaxLimit, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var found = await outbox.ListPageAsync(client.Id, leadId, status, page.After, page.Limit, ct);
        return TypedResults.Ok(new OutboxPageDto([.. found.Items.Select(OutboxItemDto.From)], Paging.Cursor(http, listing, found.Next)));
    }
}

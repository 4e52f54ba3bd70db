using SalesFlow.Core.Delivery;
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
            .WithSummary($"Outbound messages with their delivery status, newest first; optionally one lead (leadId) and status. Paged: limit 1..{MaxLimit} (default {DefaultLimit}), then ?cursor=<next> until next is null.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IOutboxStore outbox, string? leadId, string? status, string? cursor, string? limit, CancellationToken ct)
    {
        if (status is not null && OutboxStatus.Rank(status) < 0)
        {
            return ErrorHandling.BadField(http, "status", "status must be one of pending, sent, delivered, read, failed, suppressed, skipped, needs_template.");
        }

        var listing = Paging.Listing("outbox", leadId, status);
        if (Paging.TryRead(http, listing, cursor, limit, DefaultLimit, MaxLimit, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var found = await outbox.ListPageAsync(client.Id, leadId, status, page.After, page.Limit, ct);
        return TypedResults.Ok(new { items = found.Items.Select(OutboxItemDto.From), next = Paging.Cursor(http, listing, found.Next) });
    }
}

using SalesFlow.Core.Delivery;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public static class OutboxApi
{
    public static IEndpointRouteBuilder MapOutboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/outbox").WithTags("Outbox").RequireClientKey();
        api.MapGet("/", ListAsync).WithName("ListOutbox").WithSummary("Outbound messages with their delivery status, oldest first.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IOutboxStore outbox, string? leadId, string? status, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return ErrorHandling.BadField(http, "limit", "limit must be between 1 and 1000.");
        }

        if (status is not null && OutboxStatus.Rank(status) < 0)
        {
            return ErrorHandling.BadField(http, "status", "status must be one of pending, sent, delivered, read, failed, suppressed.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var items = await outbox.ListAsync(client.Id, leadId, status, limit ?? 200, ct);
        return TypedResults.Ok(new { items = items.Select(OutboxItemDto.From) });
    }
}

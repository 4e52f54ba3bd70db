using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// A rep takes a lead over from the AI (the AI stays silent, follow-ups stop) and writes to it through the outbox;
/// POST /api/leads/{id}/release (LeadsApi) hands it back.
/// </summary>
public static class LeadTakeoverApi
{
    private const int MaxByLength = 200;
    private const int MaxIdLength = 200;

    public static IEndpointRouteBuilder MapLeadTakeoverApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leads").WithTags("Leads").RequireClientKey();
        api.MapPost("/{id}/takeover", TakeOverAsync).WithName("TakeOverLead")
            .WithSummary("A rep takes the lead over {by}: it is escalated with reason taken_over, the AI answers nothing and follow-ups stop until POST /api/leads/{id}/release.")
            .Produces<TakeoverResult>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/replies", ReplyAsync).WithName("WriteRepReply")
            .WithSummary("The rep who took the lead over writes to it {text, by, channel?, id?} through the outbox, on the conversation's last channel unless channel says otherwise. Idempotent by the Idempotency-Key header or id. 409 when not taken over, opted out, or the channel cannot carry it (WhatsApp outside 24 hours).")
            .Produces<RepReplyResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> TakeOverAsync(string id, TakeoverRequest? request, HttpContext http, RepTakeover takeover, ILogger<RepTakeover> logger, CancellationToken ct)
    {
        var by = request?.By?.Trim();
        if (by is { Length: > 0 } && (by.Length > MaxByLength || !ReadableText.IsReadableLabel(by)))
        {
            return ErrorHandling.BadField(http, "by", $"by names who takes over: one readable line of at most {MaxByLength} characters.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await takeover.TakeOverAsync(client.Id, id, ct);
        if (lead is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        logger.LogInformation("Lead {LeadId} of client {ClientId} taken over by a rep", id, client.Id);
        return TypedResults.Ok(new TakeoverResult(lead.Id, lead.Escalated, lead.EscalationReason, string.IsNullOrEmpty(by) ? null : by));
    }

    private static async Task<IResult> ReplyAsync(string id, RepReplyRequest? request, HttpContext http, RepTakeover takeover, CancellationToken ct)
    {
        if (ReadableText.IsEmptyLooking(request?.Text))
        {
            return ErrorHandling.BadField(http, "text", "text is required: something a person can read.");
        }

        if (request!.Text!.Length > ConversationsApi.MaxMessageLength)
        {
            return ErrorHandling.BadField(http, "text", $"text must be at most {ConversationsApi.MaxMessageLength} characters.");
        }

        var by = request.By?.Trim();
        if (string.IsNullOrEmpty(by) || by.Length > MaxByLength || !ReadableText.IsReadableLabel(by))
        {
            return ErrorHandling.BadField(http, "by", $"by is required: who writes (a rep's name or e-mail), one readable line of at most {MaxByLength} characters.");
        }

        ChannelKind? channel = null;
        if (!string.IsNullOrEmpty(request.Channel))
        {
            if (!ChannelKindNames.TryParse(request.Channel, out var parsed))
            {
                return ErrorHandling.BadField(http, "channel", "channel must be one of whatsapp, sms, email, web.");
            }

            channel = parsed;
        }

        var header = http.Request.Headers["Idempotency-Key"].ToString();
        var key = header.Length > 0 ? header : request.Id?.Trim() ?? "";
        if (key.Length is 0 or > MaxIdLength || key.Any(char.IsControl))
        {
            return ErrorHandling.BadField(http, header.Length > 0 ? "Idempotency-Key" : "id", $"An Idempotency-Key header or an id (one line of at most {MaxIdLength} characters) is required: a retry must not write to the lead twice.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var result = await takeover.ReplyAsync(client, id, request.Text.Trim(), by, channel, key, ct);
        return result.Outcome switch
        {
            RepReplyOutcome.LeadNotFound => ErrorHandling.LeadNotFound(http, id),
            RepReplyOutcome.NotTakenOver => ErrorHandling.Problem(http, StatusCodes.Status409Conflict, $"Lead '{id}' is not taken over: {result.Reason}.", "id"),
            RepReplyOutcome.OptedOut => ErrorHandling.Problem(http, StatusCodes.Status409Conflict, $"Lead '{id}' cannot be written to: {result.Reason}.", "id"),
            RepReplyOutcome.ChannelUnavailable => ErrorHandling.Problem(http, StatusCodes.Status409Conflict, $"The message cannot go out on that channel now: {result.Reason}.", "channel"),
            _ => TypedResults.Ok(new RepReplyResponse(result.Item!.Id, id, result.Item.Channel.ToWire(), result.Item.Recipient, result.Item.Status, by, result.Item.CreatedAt, !result.Created)),
        };
    }
}

using SalesFlow.Core.Brain;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Leads;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>Talk to SalesFlow as a lead without a provider: the same intake and engine as a webhook, answered inline.</summary>
public static class ConversationsApi
{
    public const int MaxMessageLength = 4000;
    public const int MaxNameLength = 100;
    public const int DefaultMessageLimit = 500;
    public const int MaxMessageLimit = 1000;

    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/conversations").WithTags("Conversations").RequireClientKey();
        api.MapPost("/", StartAsync).WithName("StartConversation").WithSummary("A lead writes on a channel; returns the conversation and SalesFlow's reply, or in `silence` why there is none (opted_out, handed_over, pending).")
            .Produces<StartedConversationDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/{id}", GetAsync).WithName("GetConversation")
            .WithSummary($"State, state history and messages of a conversation. Messages page from the newest back: each page holds the newest {DefaultMessageLimit} (limit 1..{MaxMessageLimit}) not yet shown, oldest of them first (chat order); ?cursor=<next> fetches the older ones until next is null.")
            .Produces<ConversationDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/messages", PostMessageAsync).WithName("PostMessage").WithSummary("The lead writes again; returns the transition and the reply, or in `silence` why there is none (opted_out, handed_over, pending).")
            .Produces<ConversationTurnDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/messages/{messageId}/trust", TrustMessageAsync).WithName("TrustMessage").WithSummary("A human vouches for a message held back as untrusted (an unauthenticated e-mail sender); it is answered as if it arrived now.")
            .Produces<TrustedMessageDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> StartAsync(StartConversationRequest? request, HttpContext http, InlineTurns turns, CancellationToken ct)
    {
        if (request is null)
        {
            return ErrorHandling.BadField(http, "body", "A JSON body {channel, from, name?, message} is required.");
        }

        if (!ChannelKindNames.TryParse(request.Channel, out var channel))
        {
            return ErrorHandling.BadField(http, "channel", "channel must be one of whatsapp, sms, email, web.");
        }

        if (string.IsNullOrWhiteSpace(request.From))
        {
            return ErrorHandling.BadField(http, "from", "from is required: the lead's phone number or e-mail address.");
        }

        if (request.Name is { Length: > MaxNameLength } || (request.Name is { Length: > 0 } && !ReadableText.IsReadableLabel(request.Name)))
        {
            return ErrorHandling.BadField(http, "name", $"name must be one readable line of at most {MaxNameLength} characters.");
        }

        if ((ValidateMessage(http, request.Message) ?? ValidateIdempotencyKey(http)) is { } invalid)
        {
            return invalid;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var inbound = new InboundMessage(channel, IdempotencyKey(http), request.From, request.Name, null, request.Message!.Trim(), "text", DateTimeOffset.UtcNow);
        var turn = await turns.AnswerAsync(client, inbound, null, ct);
        return TypedResults.Ok(new StartedConversationDto(turn.Conversation.Id, turn.Conversation.LeadId, turn.Conversation.State.ToWire(), turn.Reply?.Text, ReplySilence.Of(turn)));
    }

    private static async Task<IResult> GetAsync(string id, string? cursor, string? limit, HttpContext http, IConversationStore conversations, CancellationToken ct)
    {
        var listing = Paging.Listing("conversation-messages", id);
        if (Paging.TryRead(http, listing, cursor, limit, DefaultMessageLimit, MaxMessageLimit, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var conversation = await conversations.GetAsync(client.Id, id, ct);
        if (conversation is null)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Conversation '{id}' not found.", "id");
        }

        var messages = await conversations.ListMessagesPageAsync(client.Id, id, page.After, page.Limit, ct);
        return TypedResults.Ok(ConversationDto.From(conversation, messages.Items.Reverse().ToList(), Paging.Cursor(http, listing, messages.Next)));
    }

    private static async Task<IResult> PostMessageAsync(string id, PostMessageRequest? request, HttpContext http, InlineTurns turns, IConversationStore conversations, ILeadStore leads, CancellationToken ct)
    {
        if ((ValidateMessage(http, request?.Message) ?? ValidateIdempotencyKey(http)) is { } invalid)
        {
            return invalid;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var conversation = await conversations.GetAsync(client.Id, id, ct);
        var lead = conversation is null ? null : await leads.GetAsync(client.Id, conversation.LeadId, ct);
        if (conversation is null || lead is null)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Conversation '{id}' not found.", "id");
        }

        var turn = await turns.ContinueAsync(client, conversation, lead, request!.Message!.Trim(), IdempotencyKey(http), null, ct);
        return TypedResults.Ok(new ConversationTurnDto(turn.Conversation.State.ToWire(), turn.PreviousState.ToWire(), turn.Analysis!.Intent.ToWire(), turn.Reply?.Text, ReplySilence.Of(turn)));
    }

    /// <summary>
    /// 200 with the message as stored now, the same for a repeated call (nothing changes, no second reply); 404 for a
    /// conversation or message this client does not have; 409 for a message that was never held back; 400 for a `by`
    /// that is not a short single line. The optional body {by} names who vouches; without it the audit says "api".
    /// </summary>
    private static async Task<IResult> TrustMessageAsync(string id, string messageId, TrustMessageRequest? request, HttpContext http, IntakeService intake, CancellationToken ct)
    {
        var by = request?.By?.Trim();
        if (by is { Length: > 0 } && (by.Length > MaxTrustedByLength || !ReadableText.IsReadableLabel(by)))
        {
            return ErrorHandling.BadField(http, "by", $"by names who vouches: one line of at most {MaxTrustedByLength} characters.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var result = await intake.TrustAsync(client, id, messageId, string.IsNullOrEmpty(by) ? SenderTrust.TrustedByApi : by, ct);
        return result.Outcome switch
        {
            TrustOutcome.ConversationNotFound => ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Conversation '{id}' not found.", "id"),
            TrustOutcome.MessageNotFound => ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Message '{messageId}' not found in conversation '{id}'.", "messageId"),
            TrustOutcome.NotUntrusted => ErrorHandling.Problem(http, StatusCodes.Status409Conflict, $"Message '{messageId}' was not held back as untrusted; there is nothing to vouch for.", "messageId"),
            _ => TypedResults.Ok(new TrustedMessageDto(id, MessageDto.From(result.Message!))),
        };
    }

    private const int MaxTrustedByLength = 200;
    private const int MaxIdempotencyKeyLength = 200;

    internal static IResult? ValidateMessage(HttpContext http, string? message)
    {
        if (ReadableText.IsEmptyLooking(message))
        {
            return ErrorHandling.BadField(http, "message", "message is required: something a person can read (not only spaces, invisible or control characters).");
        }

        return message.Length > MaxMessageLength ? ErrorHandling.BadField(http, "message", $"message must be at most {MaxMessageLength} characters.") : null;
    }

    /// <summary>
    /// 400 naming Idempotency-Key when the header is there but unusable (longer than 200 characters, or holding control
    /// characters): ignoring it would turn the caller's retry into a second message.
    /// </summary>
    internal static IResult? ValidateIdempotencyKey(HttpContext http) =>
        http.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key && (key.Length > MaxIdempotencyKeyLength || key.Any(char.IsControl))
            ? ErrorHandling.BadField(http, "Idempotency-Key", $"Idempotency-Key must be one line of at most {MaxIdempotencyKeyLength} characters.")
            : null;

    /// <summary>An Idempotency-Key header makes a retried call land on the same message.</summary>
    internal static string IdempotencyKey(HttpContext http) =>
        http.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 and <= MaxIdempotencyKeyLength } key ? "api:" + key : "";
}

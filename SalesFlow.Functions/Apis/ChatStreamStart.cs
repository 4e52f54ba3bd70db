using SalesFlow.Core.Brain.Learnt;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Functions.Extensions;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// The chat stream's mode lead without a conversation: a new (simulated) lead writes its first message on a channel,
/// exactly as POST /api/conversations would take it, and the opening reply streams like every later one.
/// </summary>
internal static class ChatStreamStart
{
    /// <summary>A request that names a channel but no conversation starts one.</summary>
    public static bool Wants(ChatStreamRequest request) =>
        string.IsNullOrWhiteSpace(request.ConversationId) && !string.IsNullOrWhiteSpace(request.Channel);

    /// <summary>The first message as an inbound one, or a 400 naming the field that is wrong.</summary>
    public static IResult? Read(HttpContext http, ChatStreamRequest request, string mode, out InboundMessage? inbound)
    {
        inbound = null;
        if (mode != ChatApi.LeadMode)
        {
            return ErrorHandling.BadField(http, "conversationId", "conversationId is required in mode coach: the coach answers about an existing conversation.");
        }

        if (!ChannelKindNames.TryParse(request.Channel, out var channel))
        {
            return ErrorHandling.BadField(http, "channel", "channel must be one of whatsapp, sms, email, web.");
        }

        if (string.IsNullOrWhiteSpace(request.From))
        {
            return ErrorHandling.BadField(http, "from", "from is required to start a conversation: the lead's phone number or e-mail address.");
        }

        if (request.Name is { Length: > ConversationsApi.MaxNameLength } || (request.Name is { Length: > 0 } && !ReadableText.IsReadableLabel(request.Name)))
        {
            return ErrorHandling.BadField(http, "name", $"name must be one readable line of at most {ConversationsApi.MaxNameLength} characters.");
        }

        inbound = new InboundMessage(channel, ConversationsApi.IdempotencyKey(http), request.From.Trim(), request.Name, null, request.Message!.Trim(), "text", DateTimeOffset.UtcNow);
        return null;
    }

    /// <summary>Runs the opening turn inline, its reply streamed; the analysis is there even when the queue ran the turn first.</summary>
    public static async Task<LeadTurn> AnswerAsync(IServiceProvider services, Core.Clients.Client client, InboundMessage inbound, ReplyTokenSink onToken, CancellationToken ct)
    {
        var turn = await services.GetRequiredService<InlineTurns>().AnswerAsync(client, inbound, onToken, ct);
        return turn.Analysis is null ? turn with { Analysis = services.GetRequiredService<MessageReader>().Read(inbound.Text) } : turn;
    }
}

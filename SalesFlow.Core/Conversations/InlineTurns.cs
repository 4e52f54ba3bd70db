using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Learnt;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Conversations;

/// <summary>What a lead's message through the API led to: the conversation after the turn and the reply as stored.</summary>
/// <param name="Analysis">The turn's reading of the message; null when another worker ran the turn (see <see cref="InlineTurns.ContinueAsync"/>).</param>
/// <param name="Lead">The lead as this turn left it; null when another worker ran the turn.</param>
public sealed record LeadTurn(Conversation Conversation, ConversationState PreviousState, MessageAnalysis? Analysis, OutboxItem? Reply, ComplianceResult? Compliance, Leads.Lead? Lead);

/// <summary>
/// A lead writes through the API instead of a provider (the conversations API, the chat stream's lead mode): the
/// message is stored as a webhook's would be (which also queues the turn, so a crash here loses nothing) and the turn
/// runs inline. Whichever runs it, the reply is found under the id derived from the message.
/// </summary>
public sealed class InlineTurns(IntakeService intake, ConversationEngine engine, IConversationStore conversations, IOutboxStore outbox, MessageReader reader)
{
    /// <summary>
    /// The lead of a conversation writes again, on its last channel from their address there. The analysis is always
    /// there: when another worker ran the turn, the message is read again for it.
    /// </summary>
    /// <param name="onToken">Gets the reply's tokens; when the turn was answered elsewhere, the stored reply word by word.</param>
    public async Task<LeadTurn> ContinueAsync(Client client, Conversation conversation, Lead lead, string text, string idempotencyKey, ReplyTokenSink? onToken, CancellationToken ct)
    {
        var from = conversation.LastChannel == ChannelKind.Email ? lead.Email ?? lead.Phone : lead.Phone ?? lead.Email;
        var inbound = AsWritten(new InboundMessage(conversation.LastChannel, idempotencyKey, from!, null, null, text, "text", DateTimeOffset.UtcNow));
        var turn = await AnswerAsync(client, inbound, onToken, ct);
        return turn.Analysis is null ? turn with { Analysis = reader.Read(inbound.Text) } : turn;
    }

    /// <summary>
    /// An e-mail's new text, as the inbound parse keeps it (<see cref="Channels.Parsing.EmailReplyText.StripQuoted"/>): a reply
    /// pasted with its quoted history asked the quote's "Wie viele Personen … würden es nutzen?" too, and was told the team
    /// would check that "other question". A message that is all quote stays as it is.
    /// </summary>
    private static InboundMessage AsWritten(InboundMessage inbound) =>
        inbound.Channel == ChannelKind.Email && Channels.Parsing.EmailReplyText.StripQuoted(inbound.Text) is { Length: > 0 } written
            ? inbound with { Text = written }
            : inbound;

    /// <summary>Stores the message and runs the turn inline.</summary>
    /// <param name="onToken">Gets the reply's tokens; when the turn was answered elsewhere, the stored reply word by word.</param>
    public async Task<LeadTurn> AnswerAsync(Client client, InboundMessage inbound, ReplyTokenSink? onToken, CancellationToken ct)
    {
        var accepted = await intake.AcceptAsync(client, AsWritten(inbound), ct);
        var before = await conversations.GetAsync(client.Id, accepted.ConversationId, ct);
        var streamed = false;
        ReplyTokenSink? sink = onToken is null ? null : async (token, c) =>
        {
            streamed = true;
            await onToken(token, c);
        };
        var result = await engine.ProcessLeadAsync(client.Id, accepted.LeadId, sink, ct);
        var after = result?.Conversation ?? await conversations.GetAsync(client.Id, accepted.ConversationId, ct) ?? before!;
        var reply = await outbox.GetAsync(client.Id, ReplyWriter.IdFor(client.Id, accepted.MessageId), ct);
        if (onToken is not null && !streamed && reply is not null)
        {
            // Another worker answered this message first (a retry, the queue): show its stored reply all the same.
            foreach (var word in ReplyStreaming.Words(reply.Text))
            {
                await onToken(word, ct);
            }
        }

        return new LeadTurn(after, result?.PreviousState ?? before!.State, result?.Analysis, reply, result?.Compliance, result?.Lead);
    }
}

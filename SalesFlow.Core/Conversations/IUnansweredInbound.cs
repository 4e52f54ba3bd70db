namespace SalesFlow.Core.Conversations;

/// <summary>A conversation with inbound messages that wait for a turn: the oldest one arrived at <see cref="OldestAt"/>.</summary>
public sealed record UnansweredConversation(string ClientId, string LeadId, string ConversationId, DateTimeOffset OldestAt);

/// <summary>
/// Finds stored inbound messages no turn has handled (their seq is above the conversation's
/// <see cref="Conversation.AnsweredThroughSeq"/>) across all clients: the inbound sweep's query.
/// Only answerable messages count; an untrusted or unanswerable one waits for nobody.
/// </summary>
public interface IUnansweredInbound
{
    /// <summary>Conversations with an answerable inbound message stored in [<paramref name="since"/>, <paramref name="before"/>) and not yet handled, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<UnansweredConversation>> ListAsync(DateTimeOffset since, DateTimeOffset before, int limit, CancellationToken ct);
}

using SalesFlow.Core.Channels;

namespace SalesFlow.Core.Conversations;

public interface IConversationStore
{
    Task<Conversation?> GetAsync(string clientId, string conversationId, CancellationToken ct);

    Task<Conversation?> FindForLeadAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>The lead's conversation, created on first contact (one per lead, across channels).</summary>
    Task<Conversation> GetOrCreateForLeadAsync(string clientId, string leadId, ChannelKind channel, DateTimeOffset now, CancellationToken ct);

    /// <summary>ETag-guarded replace; throws <see cref="Common.ConcurrencyException"/> on a lost race.</summary>
    Task<Conversation> ReplaceAsync(Conversation conversation, CancellationToken ct);

    /// <summary>
    /// Stores an inbound message unless one with the same provider id already exists for
    /// this client and channel. Returns the stored message (the existing one for a duplicate).
    /// </summary>
    Task<(Message Message, bool Duplicate)> AddInboundAsync(Message message, CancellationToken ct);

    /// <summary>Stores an outbound message (idempotent on its id).</summary>
    Task AddOutboundAsync(Message message, CancellationToken ct);

    Task<IReadOnlyList<Message>> ListMessagesAsync(string clientId, string conversationId, int limit, CancellationToken ct);

    /// <summary>Inbound messages with a sequence number above <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<Message>> ListInboundAfterAsync(string clientId, string conversationId, long afterSeq, CancellationToken ct);
}

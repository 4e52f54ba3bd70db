using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;

namespace SalesFlow.Core.Conversations;

public interface IConversationStore
{
    Task<Conversation?> GetAsync(string clientId, string conversationId, CancellationToken ct);

    Task<Conversation?> FindForLeadAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>The lead's conversation, created on first contact (one per lead, across channels).</summary>
    Task<Conversation> GetOrCreateForLeadAsync(string clientId, string leadId, ChannelKind channel, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// The conversation of a lead the caller has just created: there is none to look up first, so it is created at once;
    /// a racer that created it meanwhile still wins (its conversation is returned), as in <see cref="GetOrCreateForLeadAsync"/>.
    /// </summary>
    Task<Conversation> CreateForNewLeadAsync(string clientId, string leadId, ChannelKind channel, DateTimeOffset now, CancellationToken ct);

    /// <summary>ETag-guarded replace; throws <see cref="Common.ConcurrencyException"/> on a lost race.</summary>
    Task<Conversation> ReplaceAsync(Conversation conversation, CancellationToken ct);

    /// <summary>
    /// Stores an inbound message unless one with the same provider id already exists for
    /// this client and channel. Returns the stored message (the existing one for a duplicate).
    /// </summary>
    Task<(Message Message, bool Duplicate)> AddInboundAsync(Message message, CancellationToken ct);

    /// <summary>Stores an outbound message (idempotent on its id).</summary>
    Task AddOutboundAsync(Message message, CancellationToken ct);

    /// <summary>
    /// Stores an outbound message the caller knows to be new (it mirrors an outbox item created just now), without the
    /// existence check first; a message with its id already there is still never stored twice.
    /// </summary>
    Task AddNewOutboundAsync(Message message, CancellationToken ct);

    /// <summary>One message of the conversation; null when the conversation has none with that id for this client.</summary>
    Task<Message?> GetMessageAsync(string clientId, string conversationId, string messageId, CancellationToken ct);

    /// <summary>
    /// Stores a changed verdict on an inbound message, its <see cref="Message.Answerable"/> flag and
    /// <see cref="Message.Metadata"/> (everything else about a message is immutable), and gives it the next
    /// <see cref="Message.Seq"/>, as if it arrived now: turns, memory and summaries read forward from how far they got,
    /// so a message a turn has already passed over would otherwise never be read. Optimistic: only while the stored
    /// message still has <paramref name="current"/>'s flag and metadata; otherwise, or when it is gone, throws
    /// <see cref="Common.ConcurrencyException"/> and changes nothing.
    /// </summary>
    Task<Message> ReadmitInboundAsync(Message current, bool answerable, IReadOnlyDictionary<string, string> metadata, CancellationToken ct);

    /// <summary>The newest <paramref name="limit"/> messages, oldest of them first.</summary>
    Task<IReadOnlyList<Message>> ListMessagesAsync(string clientId, string conversationId, int limit, CancellationToken ct);

    /// <summary>
    /// One page of the conversation's messages, newest first (by <see cref="Message.Seq"/>; the position's key is a seq),
    /// starting after <paramref name="after"/> (null for the first page). A message readmitted meanwhile takes a new seq
    /// and so moves to the newest end, above a walk already under way.
    /// </summary>
    Task<Page<Message>> ListMessagesPageAsync(string clientId, string conversationId, PagePosition? after, int limit, CancellationToken ct);

    /// <summary>Inbound messages with a sequence number above <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<Message>> ListInboundAfterAsync(string clientId, string conversationId, long afterSeq, CancellationToken ct);
}

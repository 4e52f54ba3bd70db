using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Conversations in the <c>conversations</c> container (pk <c>/leadKey</c> = <c>{clientId}/{leadId}</c>).
/// One partition per lead holds:
/// <list type="bullet">
/// <item>the conversation document, fixed id <c>conversation</c> (one per lead: creating it is the get-or-create claim);</item>
/// <item>its messages (id = message id) with a store-assigned <c>seq</c>;</item>
/// <item>the <c>counter</c> document whose atomic patch-increment hands out <c>seq</c>;</item>
/// <item>inbound dedupe documents <c>dedupe:{channel}:{hash(providerMessageId)}</c> → message id. The
/// SQLite store dedupes per (client, channel, provider id); here the scope is the lead's partition,
/// which is the same thing in practice: a provider message id has one sender, hence one lead.</item>
/// </list>
/// A conversation id is resolved to its lead through an immutable reference document in the
/// partition <c>{clientId}/#{conversationId}</c> (cached in memory: the mapping never changes).
/// </summary>
public sealed class CosmosConversationStore(CosmosContainers containers) : IConversationStore
{
    internal const string ConversationDocId = "conversation";
    internal const string CounterDocId = "counter";
    internal const string ReferenceDocId = "ref";
    private const string ConversationType = "conversation";
    private const string ReferenceType = "conversationRef";
    private const string MessageType = "message";
    private const string CounterType = "counter";
    private const string DedupeType = "dedupe";
    private const int CacheLimit = 10_000;

    // A duplicate delivery whose original is still between its dedupe claim and its message write waits this long.
    private static readonly TimeSpan[] OriginalWaits = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(25), 4), .. Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 10)];

    private readonly ConcurrentDictionary<(string ClientId, string ConversationId), string> _leadOfConversation = new();

    private Container Conversations => containers.Conversations;

    internal static string LeadKey(string clientId, string leadId) => $"{clientId}/{leadId}";

    internal static string ReferenceKey(string clientId, string conversationId) => $"{clientId}/#{conversationId}";

    public async Task<Conversation?> GetAsync(string clientId, string conversationId, CancellationToken ct) =>
        await ResolveLeadAsync(clientId, conversationId, ct) is { } leadId
        && await FindForLeadAsync(clientId, leadId, ct) is { } conversation
        && conversation.Id == conversationId
            ? conversation
            : null;

    public async Task<Conversation?> FindForLeadAsync(string clientId, string leadId, CancellationToken ct)
    {
        var doc = await Conversations.ReadOrNullAsync(ConversationDocId, LeadKey(clientId, leadId), ct);
        if (doc is null || doc.String("clientId") != clientId)
        {
            return null;
        }

        // The conversation document names its lead as the reference does: the turn that found it by lead needs no
        // second read to go from its id back to the lead.
        var conversation = ToConversation(doc);
        RememberLead(clientId, conversation.Id, leadId);
        return conversation;
    }

    public async Task<Conversation> GetOrCreateForLeadAsync(string clientId, string leadId, ChannelKind channel, DateTimeOffset now, CancellationToken ct) =>
        await FindForLeadAsync(clientId, leadId, ct) ?? await CreateForNewLeadAsync(clientId, leadId, channel, now, ct);

    public async Task<Conversation> CreateForNewLeadAsync(string clientId, string leadId, ChannelKind channel, DateTimeOffset now, CancellationToken ct)
    {
        var conversation = new Conversation
        {
            Id = Ids.New("conv"),
            ClientId = clientId,
            LeadId = leadId,
            LastChannel = channel,
            CreatedAt = now,
            UpdatedAt = now,
        };

        // The reference first: a conversation is never reachable by lead but not by id. A racer's
        // reference to a conversation that lost is harmless (GetAsync checks the id) and removed.
        var referenceKey = ReferenceKey(clientId, conversation.Id);
        await Conversations.UpsertItemAsync(
            new JsonObject
            {
                ["id"] = ReferenceDocId,
                ["type"] = ReferenceType,
                ["leadKey"] = referenceKey,
                ["clientId"] = clientId,
                ["leadId"] = leadId,
                ["conversationId"] = conversation.Id,
            },
            new PartitionKey(referenceKey),
            new ItemRequestOptions { EnableContentResponseOnWrite = false },
            ct);

        try
        {
            var response = await Conversations.CreateItemAsync(ToDocument(conversation), new PartitionKey(LeadKey(clientId, leadId)), cancellationToken: ct);
            RememberLead(clientId, conversation.Id, leadId);
            return conversation with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            await Conversations.TryDeleteAsync(ReferenceDocId, referenceKey, ct);
            return (await FindForLeadAsync(clientId, leadId, ct))!;
        }
    }

    public async Task<Conversation> ReplaceAsync(Conversation conversation, CancellationToken ct)
    {
        var doc = await Conversations.ReplaceGuardedAsync(
            ToDocument(conversation),
            LeadKey(conversation.ClientId, conversation.LeadId),
            conversation.ETag,
            $"Conversation {conversation.Id}",
            ct);
        return conversation with { ETag = CosmosDocuments.ETagOf(doc) };
    }

    public async Task<(Message Message, bool Duplicate)> AddInboundAsync(Message message, CancellationToken ct)
    {
        message = message with { Direction = MessageDirection.Inbound };
        var leadKey = LeadKey(message.ClientId, message.LeadId);
        if (message.ProviderMessageId is { } providerId)
        {
            var dedupeId = DedupeId(message.Channel, providerId);
            var dedupe = new JsonObject
            {
                ["id"] = dedupeId,
                ["type"] = DedupeType,
                ["leadKey"] = leadKey,
                ["clientId"] = message.ClientId,
                ["leadId"] = message.LeadId,
                ["channel"] = message.Channel.ToWire(),
                ["providerMessageId"] = providerId,
                ["messageId"] = message.Id,
            };
            if (!await Conversations.TryCreateAsync(dedupe, leadKey, ct))
            {
                var originalId = (await Conversations.ReadOrNullAsync(dedupeId, leadKey, ct))?.String("messageId") ?? message.Id;
                foreach (var wait in OriginalWaits)
                {
                    if (await ReadMessageAsync(message.ClientId, leadKey, originalId, ct) is { } original)
                    {
                        return (original, true);
                    }

                    await Task.Delay(wait, ct);
                }

                // The original delivery claimed the provider id but never stored its message (it
                // crashed): store this copy under the claimed id, so the message is not lost.
                message = message with { Id = originalId };
            }
        }

        return await InsertMessageAsync(message, leadKey, ct) is { } stored
            ? (stored, false)
            : ((await ReadMessageAsync(message.ClientId, leadKey, message.Id, ct))!, true);
    }

    public async Task AddOutboundAsync(Message message, CancellationToken ct)
    {
        var leadKey = LeadKey(message.ClientId, message.LeadId);
        if (await ReadMessageAsync(message.ClientId, leadKey, message.Id, ct) is null)
        {
            await InsertMessageAsync(message with { Direction = MessageDirection.Outbound }, leadKey, ct);
        }
    }

    /// <summary>The create alone: a message already there is a conflict, which leaves one copy (and an unused seq, a hole readers pass over).</summary>
    public Task AddNewOutboundAsync(Message message, CancellationToken ct) =>
        InsertMessageAsync(message with { Direction = MessageDirection.Outbound }, LeadKey(message.ClientId, message.LeadId), ct);

    public async Task<Message?> GetMessageAsync(string clientId, string conversationId, string messageId, CancellationToken ct) =>
        await ResolveLeadAsync(clientId, conversationId, ct) is { } leadId
        && await ReadMessageAsync(clientId, LeadKey(clientId, leadId), messageId, ct) is { } message
        && message.ConversationId == conversationId
            ? message
            : null;

    public async Task<Message> ReadmitInboundAsync(Message current, bool answerable, IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        var leadKey = LeadKey(current.ClientId, current.LeadId);
        var doc = await Conversations.ReadOrNullAsync(current.Id, leadKey, ct);
        if (doc is null || doc.String("type") != MessageType || doc.String("clientId") != current.ClientId
            || ToMessage(doc) is not { Direction: MessageDirection.Inbound } stored || !stored.HasSameVerdictAs(current))
        {
            throw new ConcurrencyException($"Message {current.Id} changed meanwhile.");
        }

        // A lost race below leaves the handed-out number unused: a hole, which readers treat as a dead writer's.
        var readmitted = stored with { Answerable = answerable, Metadata = new Dictionary<string, string>(metadata), Seq = await NextSeqAsync(stored, leadKey, ct) };
        var next = CosmosDocuments.ToDocument(readmitted, MessageType, readmitted.Id);
        next["leadKey"] = leadKey;
        next[SequencedAtProperty] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        next[ReadmittedFromProperty] = stored.Seq;
        await Conversations.ReplaceGuardedAsync(next, leadKey, CosmosDocuments.ETagOf(doc), $"Message {current.Id}", ct);
        return readmitted;
    }

    public async Task<IReadOnlyList<Message>> ListMessagesAsync(string clientId, string conversationId, int limit, CancellationToken ct) =>
        limit <= 0 ? [] : (await ListMessagesPageAsync(clientId, conversationId, null, limit, ct)).Items.Reverse().ToList();

    /// <summary>A keyset filter on seq within the lead's partition (a continuation token would not survive the stand-in or another instance).</summary>
    public async Task<Page<Message>> ListMessagesPageAsync(string clientId, string conversationId, PagePosition? after, int limit, CancellationToken ct)
    {
        if (await ResolveLeadAsync(clientId, conversationId, ct) is not { } leadId)
        {
            return new Page<Message>([], null);
        }

        var leadKey = LeadKey(clientId, leadId);
        var query = new QueryDefinition(
                $"SELECT TOP {limit + 1} * FROM c WHERE c.leadKey = @leadKey AND c.clientId = @clientId AND c.type = 'message' AND c.conversationId = @conversationId AND c.seq < @before ORDER BY c.seq DESC")
            .WithParameter("@leadKey", leadKey)
            .WithParameter("@clientId", clientId)
            .WithParameter("@conversationId", conversationId)
            .WithParameter("@before", after?.Key ?? long.MaxValue);
        var newestFirst = (await Conversations.QueryAsync(query, leadKey, ct, limit + 1)).Take(limit + 1).Select(ToMessage).ToList();
        return Page<Message>.From(newestFirst, limit, m => new PagePosition(m.Seq, m.Id));
    }

    /// <summary>
    /// Inbound messages after <paramref name="afterSeq"/>, stopping before a sequence number that
    /// was handed out but whose message is not written yet (a concurrent intake between its two
    /// steps): the caller records how far it answered, so reading past such a hole would skip that
    /// message for good. A hole that stays open past <see cref="HoleGrace"/> belongs to a writer
    /// that died between the steps, and is passed over.
    /// </summary>
    public async Task<IReadOnlyList<Message>> ListInboundAfterAsync(string clientId, string conversationId, long afterSeq, CancellationToken ct)
    {
        if (await ResolveLeadAsync(clientId, conversationId, ct) is not { } leadId)
        {
            return [];
        }

        var leadKey = LeadKey(clientId, leadId);
        var waited = TimeSpan.Zero;
        while (true)
        {
            var query = new QueryDefinition(
                    "SELECT * FROM c WHERE c.leadKey = @leadKey AND c.clientId = @clientId AND c.type = 'message' AND c.seq > @afterSeq ORDER BY c.seq")
                .WithParameter("@leadKey", leadKey)
                .WithParameter("@clientId", clientId)
                .WithParameter("@afterSeq", afterSeq);
            var docs = await Conversations.QueryAsync(query, leadKey, ct);
            var after = docs.Select(ToMessage).ToList();
            var contiguous = after.Take(ContiguousCount(docs, afterSeq)).ToList();
            var holeIsOld = contiguous.Count < after.Count && SequencedAt(docs[contiguous.Count]) < DateTimeOffset.UtcNow - HoleGrace;
            if (contiguous.Count == after.Count || holeIsOld || waited >= HoleGrace)
            {
                return after.Where(m => m.Direction == MessageDirection.Inbound && m.ConversationId == conversationId).ToList();
            }

            if (contiguous.Count > 0)
            {
                return contiguous.Where(m => m.Direction == MessageDirection.Inbound && m.ConversationId == conversationId).ToList();
            }

            await Task.Delay(HolePoll, ct);
            waited += HolePoll;
        }
    }

    /// <summary>How long a hole in the sequence is waited for before it is taken for a dead writer's.</summary>
    internal static readonly TimeSpan HoleGrace = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan HolePoll = TimeSpan.FromMilliseconds(100);

    /// <summary>The number a readmitted message had before: vacated for good, so not a hole to wait for.</summary>
    private const string ReadmittedFromProperty = "readmittedFrom";

    /// <summary>How many of the messages (ordered by seq) follow <paramref name="afterSeq"/> without a gap, numbers vacated by a readmit aside.</summary>
    private static int ContiguousCount(List<JsonObject> docs, long afterSeq)
    {
        // A readmit moves a message from its old number to a higher one, so a vacated number above afterSeq always
        // belongs to a message in this very result.
        var vacated = docs.Select(d => d[ReadmittedFromProperty]?.GetValue<long>()).OfType<long>().ToHashSet();
        var expected = afterSeq + 1;
        var count = 0;
        foreach (var doc in docs)
        {
            while (vacated.Contains(expected))
            {
                expected++;
            }

            if (doc["seq"]?.GetValue<long>() != expected)
            {
                break;
            }

            count++;
            expected++;
        }

        return count;
    }

    /// <summary>When a readmitted message got its number (<see cref="ReadmitInboundAsync"/>), in Unix milliseconds.</summary>
    private const string SequencedAtProperty = "sequencedAt";

    /// <summary>
    /// When the message got its sequence number: its creation, or its readmission. The age of a hole is judged by the
    /// message after it, and a readmitted message's old creation time would make a fresh hole look old.
    /// </summary>
    private static DateTimeOffset SequencedAt(JsonObject doc) =>
        doc[SequencedAtProperty] is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at.GetValue<long>()) : ToMessage(doc).CreatedAt;

    internal static string DedupeId(ChannelKind channel, string providerMessageId) => CosmosDocuments.KeyId($"dedupe:{channel.ToWire()}", providerMessageId);

    private async Task<string?> ResolveLeadAsync(string clientId, string conversationId, CancellationToken ct)
    {
        if (_leadOfConversation.TryGetValue((clientId, conversationId), out var cached))
        {
            return cached;
        }

        var reference = await Conversations.ReadOrNullAsync(ReferenceDocId, ReferenceKey(clientId, conversationId), ct);
        if (reference is null || reference.String("clientId") != clientId || reference.String("leadId") is not { } leadId)
        {
            return null;
        }

        RememberLead(clientId, conversationId, leadId);
        return leadId;
    }

    /// <summary>The mapping never changes, so it is cached; bounded by clearing (a miss costs one point read).</summary>
    private void RememberLead(string clientId, string conversationId, string leadId)
    {
        if (_leadOfConversation.Count >= CacheLimit)
        {
            _leadOfConversation.Clear();
        }

        _leadOfConversation[(clientId, conversationId)] = leadId;
    }

    /// <summary>Stores the message with the next sequence number; null when a message with its id exists.</summary>
    private async Task<Message?> InsertMessageAsync(Message message, string leadKey, CancellationToken ct)
    {
        var stored = message with { Seq = await NextSeqAsync(message, leadKey, ct) };
        var doc = CosmosDocuments.ToDocument(stored, MessageType, stored.Id);
        doc["leadKey"] = leadKey;
        return await Conversations.TryCreateAsync(doc, leadKey, ct) ? stored : null;
    }

    /// <summary>
    /// The next number of the lead's sequence: an atomic server-side increment of the counter
    /// document (no read-modify-write race). Numbers are monotonic; a crash may leave a gap.
    /// Unlike SQLite (number and row in one transaction), the number is handed out before the
    /// message is written: a reader that runs in the few milliseconds between a concurrent
    /// writer's two steps can see seq n+1 before seq n; <see cref="ListInboundAfterAsync"/> stops at
    /// such a hole instead of reading past it.
    /// </summary>
    private async Task<long> NextSeqAsync(Message message, string leadKey, CancellationToken ct)
    {
        var pk = new PartitionKey(leadKey);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await Conversations.PatchItemAsync<JsonObject>(CounterDocId, pk, [PatchOperation.Increment("/seq", 1)], cancellationToken: ct);
                return response.Resource["seq"]!.GetValue<long>();
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound && attempt < 3)
            {
                var counter = new JsonObject
                {
                    ["id"] = CounterDocId,
                    ["type"] = CounterType,
                    ["leadKey"] = leadKey,
                    ["clientId"] = message.ClientId,
                    ["leadId"] = message.LeadId,
                    ["seq"] = 1L,
                };
                if (await Conversations.TryCreateAsync(counter, leadKey, ct))
                {
                    return 1;
                }
            }
        }
    }

    private async Task<Message?> ReadMessageAsync(string clientId, string leadKey, string messageId, CancellationToken ct)
    {
        var doc = await Conversations.ReadOrNullAsync(messageId, leadKey, ct);
        return doc is not null && doc.String("type") == MessageType && doc.String("clientId") == clientId ? ToMessage(doc) : null;
    }

    private static JsonObject ToDocument(Conversation conversation)
    {
        var doc = CosmosDocuments.ToDocument(conversation, ConversationType, ConversationDocId);
        doc["conversationId"] = conversation.Id;
        doc["leadKey"] = LeadKey(conversation.ClientId, conversation.LeadId);
        return doc;
    }

    private static Conversation ToConversation(JsonObject doc) => CosmosDocuments.FromDocument<Conversation>(doc, "conversationId");

    private static Message ToMessage(JsonObject doc) => CosmosDocuments.FromDocument<Message>(doc);
}

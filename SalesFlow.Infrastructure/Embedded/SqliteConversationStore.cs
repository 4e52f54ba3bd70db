using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Infrastructure.Embedded;

public sealed class SqliteConversationStore(SqliteDatabase db) : IConversationStore
{
    private const string ConversationColumns = "client_id, id, lead_id, state, history_json, answered_through_seq, turn_count, last_channel, last_inbound_at, created_at, updated_at, etag";
    private const string MessageColumns = "seq, id, client_id, lead_id, conversation_id, direction, channel, kind, text, provider_message_id, answerable, metadata_json, created_at";

    public Task<Conversation?> GetAsync(string clientId, string conversationId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command($"SELECT {ConversationColumns} FROM conversations WHERE client_id = $c AND id = $id", null, ("$c", clientId), ("$id", conversationId)).QueryAsync(MapConversation)).FirstOrDefault());

    public Task<Conversation?> FindForLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command($"SELECT {ConversationColumns} FROM conversations WHERE client_id = $c AND lead_id = $l", null, ("$c", clientId), ("$l", leadId)).QueryAsync(MapConversation)).FirstOrDefault());

    /// <summary>The look-up runs inside the insert's transaction, in-process: there is no round trip to save here.</summary>
    public Task<Conversation> CreateForNewLeadAsync(string clientId, string leadId, ChannelKind channel, DateTimeOffset now, CancellationToken ct) =>
        GetOrCreateForLeadAsync(clientId, leadId, channel, now, ct);

    public Task<Conversation> GetOrCreateForLeadAsync(string clientId, string leadId, ChannelKind channel, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var existing = (await c.Command($"SELECT {ConversationColumns} FROM conversations WHERE client_id = $c AND lead_id = $l", t, ("$c", clientId), ("$l", leadId)).QueryAsync(MapConversation)).FirstOrDefault();
            if (existing is not null)
            {
                return existing;
            }

            var conversation = new Conversation
            {
                Id = Ids.New("conv"),
                ClientId = clientId,
                LeadId = leadId,
                LastChannel = channel,
                CreatedAt = now,
                UpdatedAt = now,
                ETag = Ids.New("e"),
            };
            await c.Command(
                $"INSERT INTO conversations ({ConversationColumns}) VALUES ($c, $id, $l, $state, '[]', 0, 0, $ch, NULL, $now, $now, $etag)",
                t,
                ("$c", clientId),
                ("$id", conversation.Id),
                ("$l", leadId),
                ("$state", conversation.State.ToWire()),
                ("$ch", channel.ToWire()),
                ("$now", now.Ms()),
                ("$etag", conversation.ETag)).ExecAsync();
            return conversation;
        }, ct);

    public Task<Conversation> ReplaceAsync(Conversation conversation, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var next = conversation with { ETag = Ids.New("e") };
            var changed = await c.Command(
                """
                UPDATE conversations SET state = $state, history_json = $history, answered_through_seq = $seq, turn_count = $turns,
                    last_channel = $ch, last_inbound_at = $last, updated_at = $upd, etag = $new
                WHERE client_id = $c AND id = $id AND etag = $old
                """,
                t,
                ("$state", next.State.ToWire()),
                ("$history", JsonSerializer.Serialize(next.History.Select(h => new StoredChange(h.From.ToWire(), h.To.ToWire(), h.Reason, h.At)))),
                ("$seq", next.AnsweredThroughSeq),
                ("$turns", next.TurnCount),
                ("$ch", next.LastChannel.ToWire()),
                ("$last", next.LastInboundAt?.Ms()),
                ("$upd", next.UpdatedAt.Ms()),
                ("$new", next.ETag),
                ("$c", conversation.ClientId),
                ("$id", conversation.Id),
                ("$old", conversation.ETag)).ExecAsync();
            return changed == 1 ? next : throw new ConcurrencyException($"Conversation {conversation.Id} changed meanwhile.");
        }, ct);

    public Task<(Message Message, bool Duplicate)> AddInboundAsync(Message message, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var inbound = message with { Direction = MessageDirection.Inbound };
            if (message.ProviderMessageId is null)
            {
                return (inbound with { Seq = (long)(await InsertMessageAsync(c, t, inbound, ""))! }, false);
            }

            // The insert is the duplicate check (the unique provider id): one statement for a new message, the common case.
            if (await InsertMessageAsync(c, t, inbound, " ON CONFLICT DO NOTHING") is long seq)
            {
                return (inbound with { Seq = seq }, false);
            }

            var existing = (await c.Command(
                $"SELECT {MessageColumns} FROM messages WHERE client_id = $c AND channel = $ch AND provider_message_id = $p",
                t,
                ("$c", message.ClientId),
                ("$ch", message.Channel.ToWire()),
                ("$p", message.ProviderMessageId)).QueryAsync(MapMessage)).FirstOrDefault();
            return (existing ?? throw new InvalidOperationException($"Message {message.Id} conflicts with a stored message of another provider id."), true);
        }, ct);

    public Task AddOutboundAsync(Message message, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var exists = await c.Command("SELECT 1 FROM messages WHERE id = $id", t, ("$id", message.Id)).ScalarAsync();
            if (exists is null)
            {
                await InsertMessageAsync(c, t, message with { Direction = MessageDirection.Outbound }, "");
            }
        }, ct);

    /// <summary>The check runs inside the insert's transaction, in-process: there is no round trip to save here.</summary>
    public Task AddNewOutboundAsync(Message message, CancellationToken ct) => AddOutboundAsync(message, ct);

    public Task<Message?> GetMessageAsync(string clientId, string conversationId, string messageId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
            $"SELECT {MessageColumns} FROM messages WHERE client_id = $c AND conversation_id = $conv AND id = $id",
            null,
            ("$c", clientId),
            ("$conv", conversationId),
            ("$id", messageId)).QueryAsync(MapMessage)).FirstOrDefault());

    public Task<Message> ReadmitInboundAsync(Message current, bool answerable, IReadOnlyDictionary<string, string> metadata, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var stored = (await c.Command(
                $"SELECT {MessageColumns} FROM messages WHERE client_id = $c AND id = $id AND direction = 'inbound'",
                t,
                ("$c", current.ClientId),
                ("$id", current.Id)).QueryAsync(MapMessage)).FirstOrDefault();
            if (stored is null || !stored.HasSameVerdictAs(current))
            {
                throw new ConcurrencyException($"Message {current.Id} changed meanwhile.");
            }

            // seq is the AUTOINCREMENT rowid: the new one lies above every seq in the table and every one ever handed
            // out (sqlite_sequence), and sqlite_sequence is moved along so no later insert can be given it again.
            var seq = (long)(await c.Command(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0), COALESCE((SELECT MAX(seq) FROM messages), 0)) + 1",
                t).ScalarAsync())!;
            await c.Command(
                "UPDATE messages SET seq = $new, answerable = $ans, metadata_json = $meta WHERE seq = $old",
                t,
                ("$new", seq),
                ("$ans", answerable ? 1 : 0),
                ("$meta", JsonSerializer.Serialize(metadata)),
                ("$old", stored.Seq)).ExecAsync();
            await c.Command("UPDATE sqlite_sequence SET seq = $new WHERE name = 'messages'", t, ("$new", seq)).ExecAsync();
            return stored with { Seq = seq, Answerable = answerable, Metadata = new Dictionary<string, string>(metadata) };
        }, ct);

    public async Task<IReadOnlyList<Message>> ListMessagesAsync(string clientId, string conversationId, int limit, CancellationToken ct) =>
        limit <= 0 ? [] : (await ListMessagesPageAsync(clientId, conversationId, null, limit, ct)).Items.Reverse().ToList();

    public async Task<Page<Message>> ListMessagesPageAsync(string clientId, string conversationId, PagePosition? after, int limit, CancellationToken ct)
    {
        var (sql, parameters) = MessagesPageQuery(clientId, conversationId, after, limit);
        var newestFirst = await db.ReadAsync<IReadOnlyList<Message>>(async c => await c.Command(sql, null, parameters).QueryAsync(MapMessage));
        return Page<Message>.From(newestFirst, limit, m => new PagePosition(m.Seq, m.Id));
    }

    /// <summary>The statement behind <see cref="ListMessagesPageAsync"/>: a seek on the (client, conversation, seq) index below the last seq seen.</summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) MessagesPageQuery(string clientId, string conversationId, PagePosition? after, int limit) =>
        ($"SELECT {MessageColumns} FROM messages WHERE client_id = $c AND conversation_id = $conv AND seq < $before ORDER BY seq DESC LIMIT $n",
            [("$c", clientId), ("$conv", conversationId), ("$before", after?.Key ?? long.MaxValue), ("$n", limit + 1)]);

    public Task<IReadOnlyList<Message>> ListInboundAfterAsync(string clientId, string conversationId, long afterSeq, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<Message>>(async c => await c.Command(
            $"SELECT {MessageColumns} FROM messages WHERE client_id = $c AND conversation_id = $conv AND direction = 'inbound' AND seq > $seq ORDER BY seq",
            null,
            ("$c", clientId),
            ("$conv", conversationId),
            ("$seq", afterSeq)).QueryAsync(MapMessage));

    /// <param name="onConflict">An upsert clause (" ON CONFLICT DO NOTHING": no row, so null, for a message already stored).</param>
    private static Task<object?> InsertMessageAsync(SqliteConnection c, SqliteTransaction t, Message m, string onConflict) =>
        c.Command(
            $"""
            INSERT INTO messages (id, client_id, lead_id, conversation_id, direction, channel, kind, text, provider_message_id, answerable, metadata_json, created_at)
            VALUES ($id, $c, $l, $conv, $dir, $ch, $kind, $text, $p, $ans, $meta, $at){onConflict} RETURNING seq
            """,
            t,
            ("$id", m.Id),
            ("$c", m.ClientId),
            ("$l", m.LeadId),
            ("$conv", m.ConversationId),
            ("$dir", m.Direction == MessageDirection.Inbound ? "inbound" : "outbound"),
            ("$ch", m.Channel.ToWire()),
            ("$kind", m.Kind),
            ("$text", m.Text),
            ("$p", m.ProviderMessageId),
            ("$ans", m.Answerable ? 1 : 0),
            ("$meta", JsonSerializer.Serialize(m.Metadata)),
            ("$at", m.CreatedAt.Ms())).ScalarAsync();

    private static Conversation MapConversation(SqliteDataReader r)
    {
        ChannelKindNames.TryParse(r.GetString(7), out var channel);
        return new Conversation
        {
            ClientId = r.GetString(0),
            Id = r.GetString(1),
            LeadId = r.GetString(2),
            State = ConversationStateNames.FromWire(r.GetString(3)),
            History = JsonSerializer.Deserialize<List<StoredChange>>(r.GetString(4))!
                .Select(h => new StateChange(ConversationStateNames.FromWire(h.From), ConversationStateNames.FromWire(h.To), h.Reason, h.At))
                .ToList(),
            AnsweredThroughSeq = r.GetInt64(5),
            TurnCount = (int)r.GetInt64(6),
            LastChannel = channel,
            LastInboundAt = r.NullableTime("last_inbound_at"),
            CreatedAt = r.Time("created_at"),
            UpdatedAt = r.Time("updated_at"),
            ETag = r.GetString(11),
        };
    }

    private static Message MapMessage(SqliteDataReader r)
    {
        ChannelKindNames.TryParse(r.GetString(6), out var channel);
        return new Message
        {
            Seq = r.GetInt64(0),
            Id = r.GetString(1),
            ClientId = r.GetString(2),
            LeadId = r.GetString(3),
            ConversationId = r.GetString(4),
            Direction = r.GetString(5) == "inbound" ? MessageDirection.Inbound : MessageDirection.Outbound,
            Channel = channel,
            Kind = r.GetString(7),
            Text = r.GetString(8),
            ProviderMessageId = r.NullableString("provider_message_id"),
            Answerable = r.GetInt64(10) == 1,
            Metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(11))!,
            CreatedAt = r.Time("created_at"),
        };
    }

    private sealed record StoredChange(string From, string To, string Reason, DateTimeOffset At);
}

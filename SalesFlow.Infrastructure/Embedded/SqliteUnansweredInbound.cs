using SalesFlow.Core.Conversations;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>Unanswered inbound messages in the embedded store: one pass over the conversations, an index seek into each one's messages past its answered mark.</summary>
public sealed class SqliteUnansweredInbound(SqliteDatabase db) : IUnansweredInbound
{
    public Task<IReadOnlyList<UnansweredConversation>> ListAsync(DateTimeOffset since, DateTimeOffset before, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<UnansweredConversation>>(async c => await c.Command(
            """
            SELECT c.client_id, c.lead_id, c.id, MIN(m.created_at) AS oldest
            FROM conversations c
            JOIN messages m ON m.client_id = c.client_id AND m.conversation_id = c.id AND m.seq > c.answered_through_seq
            WHERE m.direction = 'inbound' AND m.answerable = 1 AND m.created_at >= $since AND m.created_at < $before
            GROUP BY c.client_id, c.id
            ORDER BY oldest
            LIMIT $max
            """,
            null,
            ("$since", since.Ms()),
            ("$before", before.Ms()),
            ("$max", Math.Max(0, limit))).QueryAsync(r => new UnansweredConversation(r.GetString(0), r.GetString(1), r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)))));
}

using System.Text.Json;
using Microsoft.Data.Sqlite;
using SalesFlow.Core.Common;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>Summaries in <c>memory_summaries</c>, one row per (client, lead), replaced under its etag.</summary>
public sealed class SqliteMemoryStore(SqliteDatabase db) : IMemoryStore
{
    private const string Columns = "client_id, lead_id, text, key_facts_json, sentiment_json, covers_through_seq, updated_at, etag";

    public Task<ConversationSummary?> GetSummaryAsync(string clientId, string leadId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command($"SELECT {Columns} FROM memory_summaries WHERE client_id = $c AND lead_id = $l", null, ("$c", clientId), ("$l", leadId)).QueryAsync(Map)).FirstOrDefault());

    public Task<ConversationSummary> SaveSummaryAsync(ConversationSummary summary, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var next = summary with { ETag = Ids.New("e") };
            (string, object?)[] values =
            [
                ("$c", summary.ClientId), ("$l", summary.LeadId), ("$text", summary.Text),
                ("$facts", JsonSerializer.Serialize(summary.KeyFacts)), ("$sent", JsonSerializer.Serialize(summary.Sentiment)),
                ("$seq", summary.CoversThroughSeq), ("$upd", summary.UpdatedAt.Ms()), ("$new", next.ETag), ("$old", summary.ETag),
            ];
            var changed = summary.ETag.Length == 0
                ? await c.Command($"INSERT INTO memory_summaries ({Columns}) VALUES ($c, $l, $text, $facts, $sent, $seq, $upd, $new) ON CONFLICT DO NOTHING", t, values).ExecAsync()
                : await c.Command(
                    "UPDATE memory_summaries SET text = $text, key_facts_json = $facts, sentiment_json = $sent, covers_through_seq = $seq, updated_at = $upd, etag = $new WHERE client_id = $c AND lead_id = $l AND etag = $old",
                    t,
                    values).ExecAsync();
            return changed == 1 ? next : throw new ConcurrencyException($"Summary of lead {summary.LeadId} changed meanwhile.");
        }, ct);

    public Task<IReadOnlyList<StaleLead>> ListStaleLeadsAsync(int hotWindow, int max, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<StaleLead>>(async c => await c.Command(
            """
            SELECT m.client_id, m.lead_id FROM messages m
            LEFT JOIN memory_summaries s ON s.client_id = m.client_id AND s.lead_id = m.lead_id
            WHERE m.seq > COALESCE(s.covers_through_seq, 0)
            GROUP BY m.client_id, m.lead_id HAVING COUNT(*) > $hot
            LIMIT $max
            """,
            null,
            ("$hot", hotWindow),
            ("$max", max)).QueryAsync(r => new StaleLead(r.GetString(0), r.GetString(1))));

    private static ConversationSummary Map(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        JsonSerializer.Deserialize<ProfileFacts>(r.GetString(3))!,
        JsonSerializer.Deserialize<SentimentSnapshot>(r.GetString(4))!,
        r.GetInt64(5),
        r.Time("updated_at"),
        r.GetString(7));
}

using System.Security.Cryptography;
using System.Text;
using SalesFlow.Core.Alerts;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// The daily summary's counts in one statement per day and client: each figure is a COUNT over a time range on an
/// index that starts with the client (leads by created_at, activity_events by kind and time, the outbox by created_at).
/// </summary>
public sealed class SqliteActivityReport(SqliteDatabase db) : IActivityReport
{
    public Task RecordAsync(string clientId, string kind, string eventKey, DateTimeOffset at, CancellationToken ct) =>
        db.WriteAsync((c, t) => c.Command(
            "INSERT OR IGNORE INTO activity_events (client_id, event_hash, kind, at) VALUES ($c, $h, $k, $at)",
            t,
            ("$c", clientId),
            ("$h", Hash(eventKey)),
            ("$k", kind),
            ("$at", at.Ms())).ExecAsync(), ct);

    public Task<ActivityCounts> CountAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
            """
            SELECT
              (SELECT COUNT(*) FROM leads WHERE client_id = $c AND created_at >= $from AND created_at < $to),
              (SELECT COUNT(*) FROM activity_events WHERE client_id = $c AND kind = $hot AND at >= $from AND at < $to),
              (SELECT COUNT(*) FROM activity_events WHERE client_id = $c AND kind = $escalated AND at >= $from AND at < $to),
              (SELECT COUNT(*) FROM activity_events WHERE client_id = $c AND kind = $optedOut AND at >= $from AND at < $to),
              (SELECT COUNT(*) FROM outbox INDEXED BY ix_outbox_time WHERE client_id = $c AND created_at >= $from AND created_at < $to
                 AND purpose = $reply AND status IN ($sent, $delivered, $read))
            """,
            null,
            ("$c", clientId),
            ("$from", from.Ms()),
            ("$to", to.Ms()),
            ("$hot", ActivityKind.BecameHot),
            ("$escalated", ActivityKind.Escalated),
            ("$optedOut", ActivityKind.OptedOut),
            ("$reply", OutboxPurpose.Reply),
            ("$sent", OutboxStatus.Sent),
            ("$delivered", OutboxStatus.Delivered),
            ("$read", OutboxStatus.Read)).QueryAsync(r => new ActivityCounts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4)))).Single());

    public Task<IReadOnlyList<string>> ListClientIdsAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<string>>(async c => await c.Command("SELECT id FROM clients ORDER BY id").QueryAsync(r => r.GetString(0)));

    /// <summary>The event key hashed: it names the lead's id, which the summary does not need.</summary>
    internal static string Hash(string eventKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(eventKey)));
}

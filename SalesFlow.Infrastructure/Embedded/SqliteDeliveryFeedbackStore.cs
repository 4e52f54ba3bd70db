using SalesFlow.Core.Delivery;

namespace SalesFlow.Infrastructure.Embedded;

public sealed class SqliteDeliveryFeedbackStore(SqliteDatabase db) : IDeliveryFeedbackStore
{
    public Task SuppressEmailAsync(EmailSuppression suppression, CancellationToken ct) =>
        db.WriteAsync((c, t) => c.Command(
            "INSERT OR IGNORE INTO email_suppressions (client_id, address, reason, created_at) VALUES ($c, $a, $r, $at)",
            t,
            ("$c", suppression.ClientId),
            ("$a", EmailSuppression.Normalize(suppression.Address)),
            ("$r", suppression.Reason),
            ("$at", suppression.CreatedAt.Ms())).ExecAsync(), ct);

    public Task<EmailSuppression?> FindEmailSuppressionAsync(string clientId, string address, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.Command(
            "SELECT client_id, address, reason, created_at FROM email_suppressions WHERE client_id = $c AND address = $a",
            null,
            ("$c", clientId),
            ("$a", EmailSuppression.Normalize(address))).QueryAsync(r => new EmailSuppression(r.GetString(0), r.GetString(1), r.GetString(2), r.Time("created_at")))).FirstOrDefault());

    public Task<bool> HasEventAsync(string clientId, string eventId, CancellationToken ct) =>
        db.ReadAsync(async c => await c.Command("SELECT 1 FROM delivery_events WHERE client_id = $c AND event_id = $e", null, ("$c", clientId), ("$e", eventId)).ScalarAsync() is not null);

    public Task<bool> TryRecordEventAsync(string clientId, string eventId, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await c.Command(
            "INSERT OR IGNORE INTO delivery_events (client_id, event_id, at) VALUES ($c, $e, $at)",
            t,
            ("$c", clientId),
            ("$e", eventId),
            ("$at", now.Ms())).ExecAsync() == 1, ct);
}

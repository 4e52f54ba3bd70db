using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Alerts;

/// <summary>
/// Writes messages to the client's staff into the outbox and queues their delivery: the same exactly-once path as a
/// reply (idempotency key → one item; the delivery claims it before the vendor call). The id is derived from the key,
/// so a repeat finds the item it wrote; an item written earlier that is no longer pending is not queued again.
/// </summary>
public sealed class StaffOutbox(IOutboxStore outbox, IWorkQueue queue)
{
    public static string IdFor(string clientId, string idempotencyKey) => Ids.Deterministic("out", clientId, idempotencyKey);

    /// <summary>An e-mail to <paramref name="address"/>; <paramref name="leadId"/> is the lead it is about, or <see cref="OutboxItem.NoLead"/>.</summary>
    public Task<bool> EmailAsync(string clientId, string leadId, string purpose, string address, string idempotencyKey, StaffEmail email, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(
            new OutboxItem
            {
                Id = IdFor(clientId, idempotencyKey),
                ClientId = clientId,
                LeadId = leadId,
                ConversationId = OutboxItem.NoLead,
                Channel = ChannelKind.Email,
                Recipient = address,
                Text = email.Text(),
                HtmlBody = email.Html(),
                // A subject without threading headers: a staff e-mail starts its own thread.
                Thread = new EmailThread(email.Subject, null, []),
                IdempotencyKey = idempotencyKey,
                Purpose = purpose,
                CreatedAt = now,
                UpdatedAt = now,
            },
            ct);

    public Task<bool> SmsAsync(string clientId, string leadId, string number, string idempotencyKey, string text, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(
            new OutboxItem
            {
                Id = IdFor(clientId, idempotencyKey),
                ClientId = clientId,
                LeadId = leadId,
                ConversationId = OutboxItem.NoLead,
                Channel = ChannelKind.Sms,
                Recipient = number,
                Text = text,
                IdempotencyKey = idempotencyKey,
                Purpose = OutboxPurpose.Alert,
                CreatedAt = now,
                UpdatedAt = now,
            },
            ct);

    /// <summary>True when this call wrote the item.</summary>
    private async Task<bool> WriteAsync(OutboxItem item, CancellationToken ct)
    {
        var (stored, created) = await outbox.AddAsync(item, ct);
        if (stored.Status == OutboxStatus.Pending)
        {
            // Also for a repeat: the first writer may have crashed before queueing (the coalesce key keeps it one delivery).
            await queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(stored.ClientId, stored.Id)), TimeSpan.Zero, DeliverWork.CoalesceKey(stored.Id), ct);
        }

        return created;
    }
}

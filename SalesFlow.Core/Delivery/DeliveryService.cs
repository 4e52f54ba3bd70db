using Microsoft.Extensions.Logging;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Delivery;

/// <summary>
/// Sends one outbox item. Idempotent: an item that is no longer pending is never sent again,
/// and the sender receives the item's idempotency key for providers that honour one.
/// </summary>
public sealed class DeliveryService(IOutboxStore outbox, ILeadStore leads, IChannelSender sender, TimeProvider clock, ILogger<DeliveryService> logger)
{
    public async Task DeliverAsync(string clientId, string outboxId, CancellationToken ct)
    {
        var item = await outbox.GetAsync(clientId, outboxId, ct);
        if (item is null || item.Status != OutboxStatus.Pending)
        {
            return;
        }

        var lead = await leads.GetAsync(clientId, item.LeadId, ct);
        if (lead is null || (lead.OptedOut && item.Purpose != OutboxPurpose.OptOutConfirmation))
        {
            await outbox.MarkAsync(clientId, item.Id, OutboxStatus.Suppressed, null, lead is null ? "lead erased" : "lead opted out", clock.GetUtcNow(), ct);
            logger.LogInformation("Outbox item {OutboxId} suppressed", item.Id);
            return;
        }

        // Speed to lead: a first contact is dated when it was accepted (or when its quiet hours end).
        if (item.Purpose == OutboxPurpose.FirstContact) SalesFlowMetrics.SpeedToLead.Record((clock.GetUtcNow() - item.CreatedAt).TotalMilliseconds, new KeyValuePair<string, object?>("channel", item.Channel.ToWire()));
        var providerId = await sender.SendAsync(item, ct);
        await outbox.MarkAsync(clientId, item.Id, OutboxStatus.Sent, providerId, null, clock.GetUtcNow(), ct);
        SalesFlowMetrics.MessagesSent.Add(1, new KeyValuePair<string, object?>("channel", item.Channel.ToWire()));
        logger.LogInformation("Outbox item {OutboxId} sent on {Channel} as {ProviderMessageId}", item.Id, item.Channel.ToWire(), providerId);
    }
}

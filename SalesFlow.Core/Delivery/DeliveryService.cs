using Microsoft.Extensions.Logging;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Delivery;

/// <summary>
/// Sends one outbox item. Idempotent: an item that is no longer pending is never sent again,
/// and the sender receives the item's idempotency key for providers that honour one.
/// </summary>
public sealed class DeliveryService(IOutboxStore outbox, ILeadStore leads, Reach.IOptOutLedger optOuts, IChannelSender sender, TimeProvider clock, ILogger<DeliveryService> logger)
{
    public async Task DeliverAsync(string clientId, string outboxId, CancellationToken ct)
    {
        var item = await outbox.GetAsync(clientId, outboxId, ct);
        if (item is null || item.Status != OutboxStatus.Pending)
        {
            return;
        }

        var lead = await leads.GetAsync(clientId, item.LeadId, ct);
        // A message that answers none (follow-up, first contact) also asks the ledger: the address may have opted out
        // as another lead, or before an erasure. A reply's turn has already read the ledger into the lead's flag.
        var confirmation = item.Purpose is OutboxPurpose.OptOutConfirmation or OutboxPurpose.OptInConfirmation;
        var unprompted = item.Purpose is not (OutboxPurpose.Reply or OutboxPurpose.Handover or OutboxPurpose.EmailVerification) && !confirmation;
        if (lead is null || (!confirmation && lead.OptedOut) || (unprompted && await optOuts.IsOptedOutAsync(clientId, item.Recipient, ct)))
        {
            await outbox.MarkAsync(clientId, item.Id, OutboxStatus.Suppressed, null, lead is null ? "lead erased" : "lead opted out", clock.GetUtcNow(), ct);
            logger.LogInformation("Outbox item {OutboxId} suppressed", item.Id);
            return;
        }

        var providerId = await sender.SendAsync(item, ct);
        await outbox.MarkAsync(clientId, item.Id, OutboxStatus.Sent, providerId, null, clock.GetUtcNow(), ct);
        SalesFlowMetrics.MessagesSent.Add(1, new KeyValuePair<string, object?>("channel", item.Channel.ToWire()));
        logger.LogInformation("Outbox item {OutboxId} sent on {Channel} as {ProviderMessageId}", item.Id, item.Channel.ToWire(), providerId);
    }
}

using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;

namespace SalesFlow.Core.Intake;

/// <summary>
/// Stores every message of the delivery (lead, message, queued turn) and applies its statuses before it returns: one
/// write unit, so the delivery commits together. The store for Cosmos DB, where writes do not queue behind one writer.
/// The caller's logging scope (the request's correlation id) is the one the per-message log lines are written in.
/// </summary>
public sealed class DirectWebhookIntake(IntakeService intake, IWriteUnits units) : IWebhookIntake
{
    public async Task<WebhookIntakeResult> AcceptAsync(Client client, WebhookBatch batch, string correlationId, CancellationToken ct)
    {
        var (results, statuses) = await units.RunAsync(async () =>
        {
            var stored = new List<IntakeResult>(batch.Messages.Count);
            foreach (var message in batch.Messages)
            {
                stored.Add(await intake.StoreAsync(client, message, ct));
            }

            return (stored, await intake.ApplyStatusesAsync(client, batch.Statuses, ct));
        }, ct);

        // Written after the commit, never while the unit holds the store.
        foreach (var result in results)
        {
            intake.LogAccepted(result);
        }

        return new WebhookIntakeResult([.. results.Select(r => r.Duplicate)], statuses);
    }
}

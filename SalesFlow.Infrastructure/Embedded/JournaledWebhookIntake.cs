using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Intake;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// The embedded store's webhook intake: in one group-committed unit, each message is checked (its sender's address must
/// be a valid phone number or e-mail address: 400 otherwise, nothing kept) and appended to the
/// <see cref="SqliteInboundJournal"/>, and the delivery's statuses are applied; the provider's 200 follows the commit.
/// <c>InboundJournalRunner</c> stores the messages a moment later (lead, conversation, message, turn).
/// </summary>
public sealed class JournaledWebhookIntake(SqliteInboundJournal journal, IntakeService intake, IWriteUnits units) : IWebhookIntake
{
    public async Task<WebhookIntakeResult> AcceptAsync(Client client, WebhookBatch batch, string correlationId, CancellationToken ct)
    {
        // Checked before the unit: a delivery with an unusable sender is refused whole, as storing it would be.
        var addresses = batch.Messages.Select(m => IntakeService.ResolveAddress(client, m.Channel, m.From).Address).ToList();
        return await units.RunAsync(async () =>
        {
            var duplicates = new List<bool>(batch.Messages.Count);
            for (var i = 0; i < batch.Messages.Count; i++)
            {
                var message = batch.Messages[i];
                var id = IntakeService.MessageIdOf(client.Id, message) ?? Ids.New("msg");
                duplicates.Add(!await journal.AppendAsync(client.Id, id, addresses[i], correlationId, message, ct));
            }

            return new WebhookIntakeResult(duplicates, await intake.ApplyStatusesAsync(client, batch.Statuses, ct));
        }, ct);
    }
}

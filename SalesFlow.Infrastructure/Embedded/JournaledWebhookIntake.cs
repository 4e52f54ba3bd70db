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
        // Made before the unit, which holds the one writer: a delivery with an unusable sender is refused whole here, as
        // storing it would be.
        var entries = batch.Messages.Select(m => (
            Id: IntakeService.MessageIdOf(client.Id, m) ?? Ids.New("msg"),
            IntakeService.ResolveAddress(client, m.Channel, m.From).Address,
            Payload: SqliteInboundJournal.Payload(m))).ToList();
        return await units.RunAsync(async () =>
        {
            var duplicates = new List<bool>(entries.Count);
            foreach (var (id, address, payload) in entries)
            {
                duplicates.Add(!await journal.AppendAsync(client.Id, id, address, correlationId, payload, ct));
            }

            return new WebhookIntakeResult(duplicates, await intake.ApplyStatusesAsync(client, batch.Statuses, ct));
        }, ct);
    }
}

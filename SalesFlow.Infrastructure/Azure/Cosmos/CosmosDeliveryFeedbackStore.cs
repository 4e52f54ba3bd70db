using System.Text.Json.Nodes;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// The e-mail suppression list and the applied vendor event ids, in the <c>outbox</c> container (pk <c>/clientId</c>):
/// one document per address (<c>emailSuppression:{hash(address)}</c>) and per event (<c>deliveryEvent:{hash(id)}</c>),
/// so both are point reads and an insert-if-absent makes the first writer win.
/// </summary>
public sealed class CosmosDeliveryFeedbackStore(CosmosContainers containers) : IDeliveryFeedbackStore
{
    private const string SuppressionType = "emailSuppression";
    private const string EventType = "deliveryEvent";

    public async Task SuppressEmailAsync(EmailSuppression suppression, CancellationToken ct)
    {
        var address = EmailSuppression.Normalize(suppression.Address);
        await containers.Outbox.TryCreateAsync(
            new JsonObject
            {
                ["id"] = CosmosDocuments.KeyId(SuppressionType, address),
                ["type"] = SuppressionType,
                ["clientId"] = suppression.ClientId,
                ["address"] = address,
                ["reason"] = suppression.Reason,
                ["createdAtMs"] = suppression.CreatedAt.Ms(),
            },
            suppression.ClientId,
            ct);
    }

    public async Task<EmailSuppression?> FindEmailSuppressionAsync(string clientId, string address, CancellationToken ct)
    {
        var doc = await containers.Outbox.ReadOrNullAsync(CosmosDocuments.KeyId(SuppressionType, EmailSuppression.Normalize(address)), clientId, ct);
        return doc is null
            ? null
            : new EmailSuppression(clientId, doc.String("address")!, doc.String("reason")!, DateTimeOffset.FromUnixTimeMilliseconds(doc["createdAtMs"]!.GetValue<long>()));
    }

    public async Task<bool> HasEventAsync(string clientId, string eventId, CancellationToken ct) =>
        await containers.Outbox.ReadOrNullAsync(CosmosDocuments.KeyId(EventType, eventId), clientId, ct) is not null;

    public Task<bool> TryRecordEventAsync(string clientId, string eventId, DateTimeOffset now, CancellationToken ct) =>
        containers.Outbox.TryCreateAsync(
            new JsonObject
            {
                ["id"] = CosmosDocuments.KeyId(EventType, eventId),
                ["type"] = EventType,
                ["clientId"] = clientId,
                ["eventId"] = eventId,
                ["atMs"] = now.Ms(),
            },
            clientId,
            ct);
}

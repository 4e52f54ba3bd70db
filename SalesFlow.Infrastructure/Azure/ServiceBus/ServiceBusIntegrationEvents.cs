using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Observability;

namespace SalesFlow.Infrastructure.Azure.ServiceBus;

/// <summary>
/// Publishes integration events to a Service Bus topic. Each message carries the event as JSON (with
/// <c>schemaVersion</c> and <c>eventType</c>), <c>Subject</c> = the event type and the application properties
/// <c>clientId</c>, <c>leadId</c> and <c>eventType</c> (subscriptions filter on them without reading the body).
/// <c>MessageId</c> is the event's idempotency key, so a topic with duplicate detection drops a repeat.
/// </summary>
public sealed class ServiceBusIntegrationEvents(ServiceBusSender sender) : IIntegrationEventPublisher
{
    /// <summary>Service Bus accepts message ids of at most 128 characters.</summary>
    private const int MaxMessageIdLength = 128;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken ct)
    {
        await sender.SendMessageAsync(ToMessage(integrationEvent), ct);
        SalesFlowMetrics.IntegrationEventsPublished.Add(1, new KeyValuePair<string, object?>("event_type", integrationEvent.EventType));
    }

    public static ServiceBusMessage ToMessage(IntegrationEvent integrationEvent)
    {
        var body = JsonSerializer.SerializeToNode(integrationEvent, Json)!.AsObject();
        // After the eventType discriminator, which System.Text.Json readers expect first.
        body.Insert(1, "schemaVersion", IntegrationEvent.SchemaVersion);
        var message = new ServiceBusMessage(BinaryData.FromString(body.ToJsonString(Json)))
        {
            MessageId = MessageIdOf(integrationEvent.IdempotencyKey),
            Subject = integrationEvent.EventType,
            ContentType = "application/json",
            // All events of one lead share a correlation id: a consumer can follow a lead without parsing bodies.
            CorrelationId = integrationEvent.ClientId + "/" + integrationEvent.LeadId,
        };
        message.ApplicationProperties["clientId"] = integrationEvent.ClientId;
        message.ApplicationProperties["leadId"] = integrationEvent.LeadId;
        message.ApplicationProperties["eventType"] = integrationEvent.EventType;
        message.ApplicationProperties["schemaVersion"] = IntegrationEvent.SchemaVersion;
        return message;
    }

    /// <summary>The key itself when it fits (readable in the portal), else its SHA-256 (still deterministic).</summary>
    public static string MessageIdOf(string idempotencyKey) =>
        idempotencyKey.Length <= MaxMessageIdLength
            ? idempotencyKey
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
}

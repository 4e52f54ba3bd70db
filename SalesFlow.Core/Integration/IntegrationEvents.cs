using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Integration;

/// <summary>
/// Something that happened to a lead that a client's other systems (CRM, BI, a human's inbox) may act on. Published
/// after the write that made it true; <see cref="IdempotencyKey"/> is derived from what happened (never a clock or a
/// GUID), so the same moment seen twice (a turn re-run after a crash or a lost race) carries the same key and the
/// receiver, or the topic's duplicate detection, drops the repeat.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "eventType")]
[JsonDerivedType(typeof(LeadBecameHot), LeadBecameHot.Type)]
[JsonDerivedType(typeof(LeadStateChanged), LeadStateChanged.Type)]
[JsonDerivedType(typeof(LeadOptedOut), LeadOptedOut.Type)]
[JsonDerivedType(typeof(LeadEscalated), LeadEscalated.Type)]
[JsonDerivedType(typeof(MeetingBooked), MeetingBooked.Type)]
[JsonDerivedType(typeof(MeetingCancelled), MeetingCancelled.Type)]
public abstract record IntegrationEvent(string ClientId, string LeadId, DateTimeOffset OccurredAt)
{
    /// <summary>The version of the JSON body; bump when a field changes meaning or goes (adding one is compatible).</summary>
    public const int SchemaVersion = 1;

    /// <summary>The event's name on the wire (e.g. <c>lead.opted_out</c>).</summary>
    [JsonIgnore]
    public abstract string EventType { get; }

    /// <summary>What makes this occurrence unique: the same for the same moment, whoever reports it and however often.</summary>
    [JsonIgnore]
    public abstract string Occurrence { get; }

    /// <summary>"&lt;eventType&gt;/&lt;clientId&gt;/&lt;leadId&gt;/&lt;occurrence&gt;".</summary>
    public string IdempotencyKey => $"{EventType}/{ClientId}/{LeadId}/{Occurrence}";
}

/// <summary>The lead's BANT temperature reached "hot" in the turn that read message <paramref name="ThroughSeq"/>.</summary>
public sealed record LeadBecameHot(string ClientId, string LeadId, DateTimeOffset OccurredAt, long ThroughSeq, double Score)
    : IntegrationEvent(ClientId, LeadId, OccurredAt)
{
    public const string Type = "lead.became_hot";

    [JsonIgnore]
    public override string EventType => Type;

    [JsonIgnore]
    public override string Occurrence => ThroughSeq.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A committed turn moved the conversation from one sales stage to another (wire names, e.g. <c>discovery</c>).</summary>
public sealed record LeadStateChanged(string ClientId, string LeadId, DateTimeOffset OccurredAt, string ConversationId, int Turn, string From, string To, string? Reason)
    : IntegrationEvent(ClientId, LeadId, OccurredAt)
{
    public const string Type = "lead.state_changed";

    [JsonIgnore]
    public override string EventType => Type;

    [JsonIgnore]
    public override string Occurrence => $"{ConversationId}/{Turn.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>The lead asked not to be contacted again, in the message <paramref name="ThroughSeq"/> ends with.</summary>
public sealed record LeadOptedOut(string ClientId, string LeadId, DateTimeOffset OccurredAt, long ThroughSeq)
    : IntegrationEvent(ClientId, LeadId, OccurredAt)
{
    public const string Type = "lead.opted_out";

    [JsonIgnore]
    public override string EventType => Type;

    [JsonIgnore]
    public override string Occurrence => ThroughSeq.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The lead was handed to a human (they asked for one, or wrote something strongly negative).</summary>
public sealed record LeadEscalated(string ClientId, string LeadId, DateTimeOffset OccurredAt, long ThroughSeq, string Reason)
    : IntegrationEvent(ClientId, LeadId, OccurredAt)
{
    public const string Type = "lead.escalated";

    [JsonIgnore]
    public override string EventType => Type;

    [JsonIgnore]
    public override string Occurrence => ThroughSeq.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A meeting was booked (or rescheduled: the new booking is a new occurrence) for the lead.</summary>
public sealed record MeetingBooked(string ClientId, string LeadId, DateTimeOffset OccurredAt, string MeetingId, string? ExternalId, DateTimeOffset Start, DateTimeOffset End, string TimeZone)
    : IntegrationEvent(ClientId, LeadId, OccurredAt)
{
    public const string Type = "meeting.booked";

    [JsonIgnore]
    public override string EventType => Type;

    [JsonIgnore]
    public override string Occurrence => $"{MeetingId}/{Start.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>A meeting was cancelled (by the lead in the conversation, or in the calendar).</summary>
public sealed record MeetingCancelled(string ClientId, string LeadId, DateTimeOffset OccurredAt, string MeetingId, string? Reason)
    : IntegrationEvent(ClientId, LeadId, OccurredAt)
{
    public const string Type = "meeting.cancelled";

    [JsonIgnore]
    public override string EventType => Type;

    [JsonIgnore]
    public override string Occurrence => MeetingId;
}

/// <summary>
/// Something inside SalesFlow that acts on integration events (queue a CRM sync, send an alert). Runs before the event
/// leaves for the topic; it must be quick and local (a queue or outbox write, never a vendor call) and idempotent: the
/// same event (same <see cref="IntegrationEvent.IdempotencyKey"/>) may arrive more than once.
/// </summary>
public interface IIntegrationEventReaction
{
    Task ReactAsync(IntegrationEvent integrationEvent, CancellationToken ct);
}

/// <summary>
/// The <see cref="IIntegrationEvents"/> the services use: every reaction first (each on its own, so one failing does not
/// starve the others; failures are thrown together afterwards), then the configured publisher.
/// </summary>
public sealed class ReactingIntegrationEvents(IEnumerable<IIntegrationEventReaction> reactions, IIntegrationEventPublisher publisher) : IIntegrationEvents
{
    public async Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken ct)
    {
        List<Exception>? failures = null;
        foreach (var reaction in reactions)
        {
            try
            {
                await reaction.ReactAsync(integrationEvent, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                (failures ??= []).Add(e);
            }
        }

        await publisher.PublishAsync(integrationEvent, ct);
        if (failures is not null)
        {
            throw new AggregateException($"{failures.Count} reaction(s) to {integrationEvent.EventType} failed", failures);
        }
    }
}

/// <summary>Where integration events leave SalesFlow: a Service Bus topic when configured, nowhere otherwise.</summary>
public interface IIntegrationEventPublisher
{
    Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken ct);
}

/// <summary>Where integration events go (a Service Bus topic, when a deployment configures one).</summary>
public interface IIntegrationEvents
{
    /// <summary>Publishes <paramref name="integrationEvent"/>; may throw when the broker cannot be reached (see <see cref="IntegrationEventsExtensions.PublishBestEffortAsync"/>).</summary>
    Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken ct);
}

/// <summary>
/// A deployment without an integration-events topic: events are not published anywhere (not stored, not queued).
/// Registered so the services need no "is it configured" branch.
/// </summary>
public sealed class UnpublishedIntegrationEvents : IIntegrationEventPublisher
{
    public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken ct) => Task.CompletedTask;
}

public static class IntegrationEventsExtensions
{
    /// <summary>
    /// Publishes without putting the lead's turn at risk: the turn's own writes are committed by now, so a broker that
    /// stays unreachable after the publisher's retries is logged and counted, not thrown (the event is then lost; see
    /// docs/architecture.md, "Integration events"). Cancellation still propagates.
    /// </summary>
    public static async Task PublishBestEffortAsync(this IIntegrationEvents events, IntegrationEvent integrationEvent, ILogger logger, CancellationToken ct)
    {
        try
        {
            await events.PublishAsync(integrationEvent, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            SalesFlowMetrics.IntegrationEventFailures.Add(1, new KeyValuePair<string, object?>("event_type", integrationEvent.EventType));
            logger.LogError(e, "Integration event {EventType} {IdempotencyKey} was not published", integrationEvent.EventType, integrationEvent.IdempotencyKey);
        }
    }
}

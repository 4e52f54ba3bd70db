using SalesFlow.Core.Integration;

namespace SalesFlow.Core.Alerts;

/// <summary>Dates the hot, escalated and opted-out events for the daily summary (one local write, idempotent by the event's key).</summary>
public sealed class ActivityRecorder(IActivityReport report) : IIntegrationEventReaction
{
    public Task ReactAsync(IntegrationEvent integrationEvent, CancellationToken ct)
    {
        var kind = integrationEvent switch
        {
            LeadBecameHot => ActivityKind.BecameHot,
            LeadEscalated => ActivityKind.Escalated,
            LeadOptedOut => ActivityKind.OptedOut,
            _ => null,
        };
        return kind is null
            ? Task.CompletedTask
            : report.RecordAsync(integrationEvent.ClientId, kind, integrationEvent.IdempotencyKey, integrationEvent.OccurredAt, ct);
    }
}

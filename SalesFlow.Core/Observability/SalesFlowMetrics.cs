using System.Diagnostics.Metrics;

namespace SalesFlow.Core.Observability;

/// <summary>SalesFlow's own metrics (meter "SalesFlow"); exported by whatever listener the host wires.</summary>
public static class SalesFlowMetrics
{
    public const string MeterName = "SalesFlow";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> TurnDuration = Meter.CreateHistogram<double>("salesflow.turn.duration", "ms", "Time to analyse, transition and write one reply.");
    public static readonly Histogram<double> WorkDuration = Meter.CreateHistogram<double>("salesflow.work.duration", "ms", "Time a queue handler took, per queue.");
    public static readonly Counter<long> InboundMessages = Meter.CreateCounter<long>("salesflow.inbound.messages", description: "Inbound messages accepted, per channel.");
    public static readonly Counter<long> DuplicateDeliveries = Meter.CreateCounter<long>("salesflow.inbound.duplicates", description: "Webhook deliveries dropped as duplicates.");
    public static readonly Counter<long> RejectedWebhooks = Meter.CreateCounter<long>("salesflow.webhooks.rejected", description: "Webhook deliveries refused (bad signature or body).");
    public static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>("salesflow.outbound.sent", description: "Outbound messages sent, per channel.");
    public static readonly Counter<long> Escalations = Meter.CreateCounter<long>("salesflow.escalations", description: "Leads handed to a human.");
    public static readonly Counter<long> WorkFailures = Meter.CreateCounter<long>("salesflow.work.failures", description: "Queue handler failures, per queue.");
}

using System.Diagnostics.Metrics;

namespace SalesFlow.Core.Observability;

/// <summary>SalesFlow's own metrics (meter "SalesFlow"); exported by whatever listener the host wires.</summary>
public static class SalesFlowMetrics
{
    public const string MeterName = "SalesFlow";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> TurnDuration = Meter.CreateHistogram<double>("salesflow.turn.duration", "ms", "Time to analyse, transition and write one reply.");
    public static readonly Histogram<double> BrainReadDuration = Meter.CreateHistogram<double>("salesflow.brain.read.duration", "ms", "Time to read one message offline, by what read it (rules: a bare short answer; learnt: rules, sentence embedding and models).");
    public static readonly Histogram<double> WorkDuration = Meter.CreateHistogram<double>("salesflow.work.duration", "ms", "Time a queue handler took, per queue.");
    public static readonly Counter<long> InboundMessages = Meter.CreateCounter<long>("salesflow.inbound.messages", description: "Inbound messages accepted, per channel.");
    public static readonly Histogram<double> InboundJournalWait = Meter.CreateHistogram<double>("salesflow.inbound.journal.wait", "ms", "Embedded store: a webhook's message acknowledged to the provider to stored (lead, message, queued turn).");
    public static readonly Counter<long> DuplicateDeliveries = Meter.CreateCounter<long>("salesflow.inbound.duplicates", description: "Webhook deliveries dropped as duplicates.");
    public static readonly Counter<long> UnauthenticatedSenders = Meter.CreateCounter<long>("salesflow.inbound.unauthenticated", description: "Inbound messages stored but not acted on because their sender is not authenticated (e-mail without aligned DKIM or SPF), per channel.");
    public static readonly Counter<long> RejectedWebhooks = Meter.CreateCounter<long>("salesflow.webhooks.rejected", description: "Webhook deliveries refused (bad signature or body).");
    public static readonly Histogram<double> SpeedToLead = Meter.CreateHistogram<double>("salesflow.speed_to_lead", "ms", "A first contact: form accepted (or, held by quiet hours, the window opening) to the vendor call, per channel.");
    public static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>("salesflow.outbound.sent", description: "Outbound messages sent, per channel.");
    public static readonly Counter<long> DeliveryOutcomes = Meter.CreateCounter<long>("salesflow.delivery.outcomes", description: "Delivery runs by outcome (sent, failed, retry_scheduled, gave_up, suppressed, in_doubt, reclaimed, rate_limited, claimed_elsewhere), per channel.");
    public static readonly Counter<long> DeliveryRetries = Meter.CreateCounter<long>("salesflow.delivery.retries", description: "Deliveries scheduled again after a retryable vendor failure (429, 5xx, timeout), per channel.");
    public static readonly Histogram<double> VendorCallDuration = Meter.CreateHistogram<double>("salesflow.delivery.vendor.duration", "ms", "Time of one vendor send call, per channel and outcome (accepted, permanent, transient, error).");
    public static readonly Counter<long> DeliveryStatusReports = Meter.CreateCounter<long>("salesflow.delivery.status_reports", description: "Vendor status reports received (Twilio status callbacks, SendGrid events), per vendor and outcome (applied, duplicate, unmatched, ignored).");
    public static readonly Counter<long> Escalations = Meter.CreateCounter<long>("salesflow.escalations", description: "Leads handed to a human.");
    public static readonly Counter<long> AiInputTokens = Meter.CreateCounter<long>("salesflow.ai.tokens.input", "{token}", "Prompt tokens billed, per model, purpose and client.");
    public static readonly Counter<long> AiOutputTokens = Meter.CreateCounter<long>("salesflow.ai.tokens.output", "{token}", "Completion tokens billed, per model, purpose and client.");
    public static readonly Counter<double> AiCostUsd = Meter.CreateCounter<double>("salesflow.ai.cost", "USD", "Model spend in US dollars, per model, purpose and client.");
    public static readonly Histogram<double> AiCallDuration = Meter.CreateHistogram<double>("salesflow.ai.call.duration", "ms", "Model call latency, per model, purpose and outcome.");
    public static readonly Counter<long> AiFallbacks = Meter.CreateCounter<long>("salesflow.ai.fallbacks", description: "Turns the rules brain answered because the model failed, timed out or its breaker was open.");
    public static readonly Counter<long> AiRoutes = Meter.CreateCounter<long>("salesflow.ai.routes", description: "Model routing decisions, per tier and reason.");
    public static readonly Counter<long> ComplianceVerdicts = Meter.CreateCounter<long>("salesflow.compliance.verdicts", description: "Replies judged by the compliance filter, per verdict.");
    public static readonly Histogram<double> ChatTimeToFirstToken = Meter.CreateHistogram<double>("salesflow.chat.ttft", "ms", "Streaming: request received to first token written, per mode and brain.");
    public static readonly Histogram<double> ChatAddedLatency = Meter.CreateHistogram<double>("salesflow.chat.added_latency", "ms", "Streaming: SalesFlow's own time (request to the upstream request, plus end of the upstream stream to done), per mode and brain.");
    public static readonly Histogram<double> ChatDuration = Meter.CreateHistogram<double>("salesflow.chat.duration", "ms", "Streaming: request received to the done event, per mode and brain.");
    public static readonly Counter<long> IntegrationEventsPublished = Meter.CreateCounter<long>("salesflow.integration_events.published", description: "Integration events handed to the broker, per event type.");
    public static readonly Counter<long> IntegrationEventFailures = Meter.CreateCounter<long>("salesflow.integration_events.failures", description: "Integration events not published (the broker failed after its retries), per event type.");
    public static readonly Counter<long> WorkFailures = Meter.CreateCounter<long>("salesflow.work.failures", description: "Queue handler failures, per queue.");
    public static readonly Counter<long> StoreRequests = Meter.CreateCounter<long>("salesflow.store.requests", "{request}", "Round trips to the store: Cosmos DB requests per operation and container; SQLite statements executed.");
    public static readonly Counter<double> StoreRequestUnits = Meter.CreateCounter<double>("salesflow.store.request_units", "RU", "Request units Cosmos DB charged, per operation and container.");
}

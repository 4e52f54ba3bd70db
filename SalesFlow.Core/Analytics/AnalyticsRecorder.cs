using Microsoft.Extensions.Logging;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Analytics;

/// <summary>Sees every committed turn (the conversation engine calls it once, after the turn's own writes).</summary>
public interface ITurnObserver
{
    /// <param name="answered">The lead's messages the turn answered, oldest first.</param>
    Task ObserveAsync(TurnResult turn, IReadOnlyList<Message> answered, CancellationToken ct);
}

/// <summary>
/// Turns what happens into analytics records, as it happens: a committed turn (funnel depth, DISC, the lead's reply to
/// SalesFlow's last message and SalesFlow's new one; one store call per turn), an escalation and a booked meeting (the
/// integration events), a lead's outcome and every model call. Analytics never fails the work it watches: a store
/// error is logged, the figure is then missing (counted at most once, never twice).
/// </summary>
public sealed class AnalyticsRecorder(IAnalyticsStore store, ILeadStore leads, ILogger<AnalyticsRecorder> logger) : ITurnObserver, IIntegrationEventReaction
{
    private const int MaxReasonLength = 100;

    public Task ObserveAsync(TurnResult turn, IReadOnlyList<Message> answered, CancellationToken ct)
    {
        var conversation = turn.Conversation;
        var zone = ZoneOf(turn.Client);
        var outbound = turn.Reply is { Purpose: OutboxPurpose.Reply } reply
            ? new PendingOutbound(reply.CreatedAt, reply.Channel.ToWire(), AnalyticsAggregation.LocalHour(reply.CreatedAt, zone))
            : null;
        var observation = new LeadObservation(
            turn.Lead.Id,
            AnalyticsAggregation.Day(turn.Lead.CreatedAt),
            Depth: TurnDepth(turn.PreviousState, conversation.State, turn.Profile?.Bant.Temperature),
            Disc: turn.Profile?.Disc.Primary,
            InboundAt: answered.Count > 0 ? answered[0].CreatedAt : null,
            Outbound: outbound);
        var key = $"turn/{conversation.ClientId}/{conversation.Id}/{conversation.AnsweredThroughSeq}";
        return SafelyAsync(new AnalyticsRecord(conversation.ClientId, key, observation, []), ct);
    }

    /// <summary>
    /// How far a turn got the lead: 1 it wrote and was answered; 2 qualified (BANT warm or hot, or past qualification);
    /// 3 value shown (value proposition or a later stage); 4 an objection handled (the turn moved on from objection
    /// handling); 5 price discussed (price negotiation, closing or after).
    /// </summary>
    public static int TurnDepth(ConversationState before, ConversationState after, string? temperature)
    {
        var depth = 1;
        if (temperature is "warm" or "hot" || after >= ConversationState.ValueProposition)
        {
            depth = 2;
        }

        if (after >= ConversationState.ValueProposition)
        {
            depth = 3;
        }

        if (before == ConversationState.ObjectionHandling && after != ConversationState.ObjectionHandling)
        {
            depth = 4;
        }

        if (after >= ConversationState.PriceNegotiation)
        {
            depth = 5;
        }

        return depth;
    }

    public async Task ReactAsync(IntegrationEvent integrationEvent, CancellationToken ct)
    {
        var observation = integrationEvent switch
        {
            LeadEscalated e => new LeadObservation(e.LeadId, default, EscalationReason: Reason(e.Reason)),
            MeetingBooked e => new LeadObservation(e.LeadId, default, Depth: FunnelSteps.Depth(FunnelSteps.MeetingBooked)),
            _ => null,
        };
        if (observation is not null)
        {
            await ForLeadAsync(integrationEvent.ClientId, integrationEvent.IdempotencyKey, observation, ct);
        }
    }

    /// <summary>A lead's outcome was set (a rep or the CRM): won counts at every step, lost takes the won back.</summary>
    public Task OutcomeSetAsync(LeadOutcome outcome, CancellationToken ct) =>
        ForLeadAsync(
            outcome.ClientId,
            $"outcome/{outcome.ClientId}/{outcome.LeadId}/{outcome.Outcome}/{outcome.At.ToUnixTimeMilliseconds()}",
            new LeadObservation(outcome.LeadId, default, Won: outcome.Outcome == LeadOutcomes.Won),
            ct);

    /// <summary>A model call (any purpose): tokens, cost, latency bucket and whether it failed (the caller then fell back).</summary>
    public Task ModelCalledAsync(AiUsageRecord call, CancellationToken ct)
    {
        var day = AnalyticsAggregation.Day(call.CreatedAt);
        var model = AnalyticsMetrics.Dimension(call.Model);
        var bucket = LatencyBuckets.IndexOf(LatencyBuckets.AiMilliseconds, call.LatencyMs);
        List<CounterDelta> counters =
        [
            new(day, AnalyticsMetrics.AiCalls, model, 1),
            new(day, AnalyticsMetrics.AiInputTokens, model, call.InputTokens),
            new(day, AnalyticsMetrics.AiOutputTokens, model, call.OutputTokens),
            new(day, AnalyticsMetrics.AiCostUsd, model, (double)call.CostUsd),
            new(day, AnalyticsMetrics.AiLatency, AnalyticsMetrics.Dimension(call.Model, AnalyticsAggregation.Bucket(bucket)), 1),
        ];
        if (!call.Succeeded)
        {
            counters.Add(new(day, AnalyticsMetrics.AiFailed, model, 1));
        }

        return SafelyAsync(new AnalyticsRecord(call.ClientId, $"ai/{call.Id}", null, AnalyticsAggregation.Combine(counters)), ct);
    }

    /// <summary>The lead's cohort comes from the lead (one point read: escalations, bookings and outcomes are rare).</summary>
    private async Task ForLeadAsync(string clientId, string key, LeadObservation observation, CancellationToken ct)
    {
        try
        {
            var lead = await leads.GetAsync(clientId, observation.LeadId, ct);
            if (lead is null)
            {
                return; // erased meanwhile: nothing to count
            }

            await store.RecordAsync(new AnalyticsRecord(clientId, key, observation with { Cohort = AnalyticsAggregation.Day(lead.CreatedAt) }, []), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Analytics did not record {Key}", key);
        }
    }

    private async Task SafelyAsync(AnalyticsRecord record, CancellationToken ct)
    {
        try
        {
            await store.RecordAsync(record, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Analytics did not record {Key}", record.Key);
        }
    }

    private static string Reason(string? reason)
    {
        var text = string.IsNullOrWhiteSpace(reason) ? "unspecified" : reason.Trim();
        return text.Length > MaxReasonLength ? text[..MaxReasonLength] : text;
    }

    /// <summary>The client's zone (its config's, else its own); UTC when unknown.</summary>
    public static TimeZoneInfo ZoneOf(Client client) =>
        (client.Config?.TimeZone ?? client.TimeZone) is { Length: > 0 } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

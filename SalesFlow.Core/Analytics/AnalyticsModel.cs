namespace SalesFlow.Core.Analytics;

/// <summary>The funnel's micro-steps in order; a lead at a step counts at every earlier one (see docs/analytics.md).</summary>
public static class FunnelSteps
{
    public const string FirstReply = "first_reply";
    public const string Qualified = "qualified";
    public const string ValueShown = "value_shown";
    public const string ObjectionHandled = "objection_handled";
    public const string PriceDiscussed = "price_discussed";
    public const string MeetingBooked = "meeting_booked";
    public const string Won = "won";

    public static IReadOnlyList<string> All { get; } = [FirstReply, Qualified, ValueShown, ObjectionHandled, PriceDiscussed, MeetingBooked, Won];

    /// <summary>How many steps a lead at <paramref name="step"/> has reached (1 for the first).</summary>
    public static int Depth(string step) => All.ToList().IndexOf(step) + 1;
}

/// <summary>The pre-aggregated counters' metric names (wire names, stored).</summary>
public static class AnalyticsMetrics
{
    // Per lead, counted on the UTC day the lead was created (its cohort); from the lead's flags, so a lead counts once.
    public const string Funnel = "funnel";
    public const string DiscLeads = "disc_leads";
    public const string DiscWon = "disc_won";
    public const string Conversations = "conversations";
    public const string Escalated = "escalated";
    public const string EscalationReason = "escalation_reason";

    // Per event, counted on the UTC day it happened; dimension "channel|hour" (hour of day in the client's zone).
    public const string Sent = "sent";
    public const string Replied = "replied";
    /// <summary>The lead's reply time histogram by channel: dimension "channel|bucket" (<see cref="LatencyBuckets.ReplySeconds"/>).</summary>
    public const string ReplyTimeByChannel = "reply_time_channel";
    /// <summary>The same by hour of day of SalesFlow's message: dimension "hour|bucket". Two histograms, not one per channel and hour: far fewer counters to sum.</summary>
    public const string ReplyTimeByHour = "reply_time_hour";

    // Per model call, on the UTC day of the call; dimension the model ("model|bucket" for the latency).
    public const string AiCalls = "ai_calls";
    public const string AiFailed = "ai_failed";
    public const string AiInputTokens = "ai_input_tokens";
    public const string AiOutputTokens = "ai_output_tokens";
    public const string AiCostUsd = "ai_cost_usd";
    public const string AiLatency = "ai_latency";

    public static IReadOnlyList<string> FunnelSet { get; } = [Funnel];
    public static IReadOnlyList<string> PersonalitySet { get; } = [DiscLeads, DiscWon];
    public static IReadOnlyList<string> AutonomySet { get; } = [Conversations, Escalated, EscalationReason];
    public static IReadOnlyList<string> ChannelSet { get; } = [Sent, Replied, ReplyTimeByChannel, ReplyTimeByHour];
    public static IReadOnlyList<string> AiSet { get; } = [AiCalls, AiFailed, AiInputTokens, AiOutputTokens, AiCostUsd, AiLatency];

    /// <summary>Joins dimension parts with '|' (a part's own '|' becomes '/': the separator stays unambiguous).</summary>
    public static string Dimension(params string[] parts) => string.Join('|', parts.Select(p => p.Replace('|', '/')));
}

/// <summary>An amount to add to one counter: client × UTC day × metric × dimension.</summary>
public sealed record CounterDelta(DateOnly Day, string Metric, string Dimension, double Value);

/// <summary>A counter's total over a range of days.</summary>
public sealed record CounterTotal(string Metric, string Dimension, double Value);

/// <summary>The last message SalesFlow sent a lead that the lead has not answered yet.</summary>
/// <param name="LocalHour">Hour of day in the client's zone when it was written.</param>
public sealed record PendingOutbound(DateTimeOffset At, string Channel, int LocalHour);

/// <summary>
/// What analytics keeps per lead, so that each lead counts once per step whatever is reported twice: the day it was
/// created (its cohort), how far it got, its DISC type, whether it went to a human (and the first reason) and whether
/// it was won; plus the last unanswered outbound message (for the lead's reply time). No personal data: ids, flags
/// and times. Removed by the lead's erasure.
/// </summary>
public sealed record LeadAnalytics(
    string ClientId,
    string LeadId,
    DateOnly Cohort,
    int Depth = 0,
    string? Disc = null,
    string? EscalationReason = null,
    bool Won = false,
    PendingOutbound? Pending = null)
{
    public bool Escalated => EscalationReason is not null;

    /// <summary>What this lead adds to its cohort day's per-lead counters.</summary>
    public IEnumerable<CounterDelta> Contribution()
    {
        var depth = Won ? FunnelSteps.All.Count : Depth;
        for (var i = 0; i < depth; i++)
        {
            yield return new(Cohort, AnalyticsMetrics.Funnel, FunnelSteps.All[i], 1);
        }

        if (Disc is not null)
        {
            yield return new(Cohort, AnalyticsMetrics.DiscLeads, Disc, 1);
            if (Won)
            {
                yield return new(Cohort, AnalyticsMetrics.DiscWon, Disc, 1);
            }
        }

        if (Depth >= 1)
        {
            yield return new(Cohort, AnalyticsMetrics.Conversations, "", 1);
        }

        if (EscalationReason is not null)
        {
            yield return new(Cohort, AnalyticsMetrics.Escalated, "", 1);
            yield return new(Cohort, AnalyticsMetrics.EscalationReason, EscalationReason, 1);
        }
    }
}

/// <summary>Something that happened to one lead, as analytics reads it.</summary>
/// <param name="Cohort">The UTC day the lead was created (used when analytics has no row for the lead yet).</param>
/// <param name="Depth">Funnel steps reached by now (0: none new); the furthest ever is kept.</param>
/// <param name="Disc">The lead's DISC primary now (null: unchanged).</param>
/// <param name="EscalationReason">The lead went to a human, why (null: no news); the first reason is kept.</param>
/// <param name="Won">The lead's outcome was set: true won, false lost (null: no news).</param>
/// <param name="InboundAt">The lead wrote (the first message of a turn), on <paramref name="InboundChannel"/>.</param>
/// <param name="Outbound">SalesFlow wrote to the lead.</param>
public sealed record LeadObservation(
    string LeadId,
    DateOnly Cohort,
    int Depth = 0,
    string? Disc = null,
    string? EscalationReason = null,
    bool? Won = null,
    DateTimeOffset? InboundAt = null,
    PendingOutbound? Outbound = null);

/// <summary>
/// One thing to count, once: <paramref name="Key"/> is derived from what happened (an integration event's idempotency
/// key, a turn's last message, a model call's id), so the same occurrence reported twice changes nothing.
/// </summary>
public sealed record AnalyticsRecord(string ClientId, string Key, LeadObservation? Lead, IReadOnlyList<CounterDelta> Counters);

namespace SalesFlow.Core.Analytics;

/// <summary>
/// Merges an observation into a lead's analytics row and says which counters change. Per-lead counters are the
/// difference of the row's contribution before and after, so repeating an observation adds nothing and a change of
/// mind (another DISC type, won then lost) moves the lead instead of counting it twice. The lead's reply to SalesFlow's
/// pending message is counted on the day (UTC) and hour (client zone) that message was written.
/// </summary>
public static class AnalyticsAggregation
{
    public static (LeadAnalytics After, IReadOnlyList<CounterDelta> Deltas) Apply(string clientId, LeadAnalytics? before, LeadObservation observation)
    {
        var row = before ?? new LeadAnalytics(clientId, observation.LeadId, observation.Cohort);
        var deltas = new List<CounterDelta>();
        var after = row with
        {
            Depth = Math.Max(row.Depth, Math.Clamp(observation.Depth, 0, FunnelSteps.All.Count - 1)),
            Disc = observation.Disc ?? row.Disc,
            EscalationReason = row.EscalationReason ?? observation.EscalationReason,
            Won = observation.Won ?? row.Won,
        };

        if (observation.InboundAt is { } inbound && row.Pending is { } pending && inbound >= pending.At)
        {
            var day = DateOnly.FromDateTime(pending.At.UtcDateTime);
            var where = AnalyticsMetrics.Dimension(pending.Channel, Hour(pending.LocalHour));
            var bucket = LatencyBuckets.IndexOf(LatencyBuckets.ReplySeconds, (inbound - pending.At).TotalSeconds);
            deltas.Add(new(day, AnalyticsMetrics.Replied, where, 1));
            deltas.Add(new(day, AnalyticsMetrics.ReplyTimeByChannel, AnalyticsMetrics.Dimension(pending.Channel, Bucket(bucket)), 1));
            deltas.Add(new(day, AnalyticsMetrics.ReplyTimeByHour, AnalyticsMetrics.Dimension(Hour(pending.LocalHour), Bucket(bucket)), 1));
            after = after with { Pending = null };
        }

        if (observation.Outbound is { } outbound)
        {
            deltas.Add(new(DateOnly.FromDateTime(outbound.At.UtcDateTime), AnalyticsMetrics.Sent, AnalyticsMetrics.Dimension(outbound.Channel, Hour(outbound.LocalHour)), 1));
            after = after with { Pending = outbound };
        }

        deltas.AddRange(Difference(before?.Contribution() ?? [], after.Contribution()));
        return (after, deltas);
    }

    /// <summary>after − before, per counter; unchanged counters left out.</summary>
    public static IEnumerable<CounterDelta> Difference(IEnumerable<CounterDelta> before, IEnumerable<CounterDelta> after) =>
        before.Select(d => d with { Value = -d.Value }).Concat(after)
            .GroupBy(d => (d.Day, d.Metric, d.Dimension))
            .Select(g => new CounterDelta(g.Key.Day, g.Key.Metric, g.Key.Dimension, g.Sum(d => d.Value)))
            .Where(d => d.Value != 0);

    /// <summary>Sums deltas of the same counter (one write each).</summary>
    public static IReadOnlyList<CounterDelta> Combine(IEnumerable<CounterDelta> deltas) =>
        [.. deltas.GroupBy(d => (d.Day, d.Metric, d.Dimension))
            .Select(g => new CounterDelta(g.Key.Day, g.Key.Metric, g.Key.Dimension, g.Sum(d => d.Value)))
            .Where(d => d.Value != 0)];

    public static string Hour(int hour) => hour.ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    public static string Bucket(int index) => index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The hour of day of <paramref name="at"/> in <paramref name="zone"/>.</summary>
    public static int LocalHour(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).Hour;

    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}

namespace SalesFlow.Core.Analytics;

public sealed record FunnelStepFigure(string Step, long Leads, double? Conversion);

public sealed record FunnelReport(AnalyticsRange Range, IReadOnlyList<FunnelStepFigure> Steps);

public sealed record DiscFigure(string Type, long Leads, long Won, double? Conversion);

public sealed record PersonalityReport(AnalyticsRange Range, IReadOnlyList<DiscFigure> Types);

/// <param name="Key">A channel wire name or an hour of day ("00" … "23").</param>
public sealed record ReplyFigure(string Key, long Sent, long Replied, double? ReplyRate, double? MedianReplySeconds, double? P90ReplySeconds);

public sealed record ChannelsReport(AnalyticsRange Range, string TimeZone, IReadOnlyList<ReplyFigure> ByChannel, IReadOnlyList<ReplyFigure> ByHour);

public sealed record ReasonFigure(string Reason, long Count);

public sealed record AutonomyReport(AnalyticsRange Range, long Conversations, long Escalated, long HandledWithoutHuman, double? AutonomyRate, IReadOnlyList<ReasonFigure> EscalationReasons);

public sealed record ModelFigure(string Model, long Calls, long InputTokens, long OutputTokens, decimal CostUsd, double? P50LatencyMs, double? P95LatencyMs, long Failed, double? FallbackRate);

public sealed record AiUsageAnalytics(AnalyticsRange Range, ModelFigure Total, IReadOnlyList<ModelFigure> ByModel);

/// <summary>The five analytics reports, each built from counter totals (<see cref="IAnalyticsStore.TotalsAsync"/>).</summary>
public static class AnalyticsReports
{
    public static readonly IReadOnlyList<string> DiscTypes = ["D", "I", "S", "C"];

    public static FunnelReport Funnel(AnalyticsRange range, IReadOnlyList<CounterTotal> totals)
    {
        var counts = Of(totals, AnalyticsMetrics.Funnel);
        var steps = new List<FunnelStepFigure>();
        long? previous = null;
        foreach (var step in FunnelSteps.All)
        {
            var leads = (long)counts.GetValueOrDefault(step);
            steps.Add(new(step, leads, previous is null ? null : Rate(leads, previous.Value)));
            previous = leads;
        }

        return new(range, steps);
    }

    public static PersonalityReport Personality(AnalyticsRange range, IReadOnlyList<CounterTotal> totals)
    {
        var leads = Of(totals, AnalyticsMetrics.DiscLeads);
        var won = Of(totals, AnalyticsMetrics.DiscWon);
        return new(range, [.. DiscTypes.Select(t => new DiscFigure(t, (long)leads.GetValueOrDefault(t), (long)won.GetValueOrDefault(t), Rate((long)won.GetValueOrDefault(t), (long)leads.GetValueOrDefault(t))))]);
    }

    public static ChannelsReport Channels(AnalyticsRange range, string timeZone, IReadOnlyList<CounterTotal> totals)
    {
        // sent/replied: "channel|hour"; reply_time_channel: "channel|bucket"; reply_time_hour: "hour|bucket".
        var rows = totals.Select(t => (t.Metric, Parts: t.Dimension.Split('|'), t.Value)).Where(r => r.Parts.Length == 2).ToList();
        ReplyFigure Figure(string key, int part, string histogram)
        {
            double Sum(string metric) => rows.Where(r => r.Metric == metric && r.Parts[part] == key).Sum(r => r.Value);
            var counts = rows.Where(r => r.Metric == histogram && r.Parts[0] == key)
                .GroupBy(r => int.Parse(r.Parts[1], System.Globalization.CultureInfo.InvariantCulture))
                .ToDictionary(g => g.Key, g => g.Sum(r => r.Value));
            var (sent, replied) = ((long)Sum(AnalyticsMetrics.Sent), (long)Sum(AnalyticsMetrics.Replied));
            return new(key, sent, replied, Rate(replied, sent), LatencyBuckets.Percentile(LatencyBuckets.ReplySeconds, counts, 0.5), LatencyBuckets.Percentile(LatencyBuckets.ReplySeconds, counts, 0.9));
        }

        var channels = rows.Where(r => r.Metric == AnalyticsMetrics.Sent || r.Metric == AnalyticsMetrics.Replied).Select(r => r.Parts[0]).Distinct().Order(StringComparer.Ordinal);
        var byChannel = channels.Select(c => Figure(c, 0, AnalyticsMetrics.ReplyTimeByChannel)).ToList();
        var byHour = Enumerable.Range(0, 24).Select(AnalyticsAggregation.Hour).Select(h => Figure(h, 1, AnalyticsMetrics.ReplyTimeByHour)).ToList();
        return new(range, timeZone, byChannel, byHour);
    }

    public static AutonomyReport Autonomy(AnalyticsRange range, IReadOnlyList<CounterTotal> totals)
    {
        var conversations = (long)Of(totals, AnalyticsMetrics.Conversations).GetValueOrDefault("");
        var escalated = (long)Of(totals, AnalyticsMetrics.Escalated).GetValueOrDefault("");
        var handled = Math.Max(0, conversations - escalated);
        var reasons = Of(totals, AnalyticsMetrics.EscalationReason)
            .Where(r => r.Value > 0)
            .OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new ReasonFigure(r.Key, (long)r.Value))
            .ToList();
        return new(range, conversations, escalated, handled, Rate(handled, conversations), reasons);
    }

    public static AiUsageAnalytics AiUsage(AnalyticsRange range, IReadOnlyList<CounterTotal> totals)
    {
        var calls = Of(totals, AnalyticsMetrics.AiCalls);
        var latency = totals.Where(t => t.Metric == AnalyticsMetrics.AiLatency)
            .Select(t => (Parts: t.Dimension.Split('|'), t.Value))
            .Where(x => x.Parts.Length == 2)
            .Select(x => (Model: x.Parts[0], Bucket: int.Parse(x.Parts[1], System.Globalization.CultureInfo.InvariantCulture), x.Value))
            .ToList();
        ModelFigure Figure(string name, Func<string, bool> match)
        {
            double Sum(string metric) => Of(totals, metric).Where(kv => match(kv.Key)).Sum(kv => kv.Value);
            var histogram = latency.Where(l => match(l.Model)).GroupBy(l => l.Bucket).ToDictionary(g => g.Key, g => g.Sum(l => l.Value));
            var n = (long)Sum(AnalyticsMetrics.AiCalls);
            var failed = (long)Sum(AnalyticsMetrics.AiFailed);
            return new(
                name,
                n,
                (long)Sum(AnalyticsMetrics.AiInputTokens),
                (long)Sum(AnalyticsMetrics.AiOutputTokens),
                Math.Round((decimal)Sum(AnalyticsMetrics.AiCostUsd), 10),
                LatencyBuckets.Percentile(LatencyBuckets.AiMilliseconds, histogram, 0.5),
                LatencyBuckets.Percentile(LatencyBuckets.AiMilliseconds, histogram, 0.95),
                failed,
                Rate(failed, n));
        }

        var models = calls.Keys.Order(StringComparer.Ordinal).ToList();
        return new(range, Figure("all", _ => true), [.. models.Select(m => Figure(m, k => k == m))]);
    }

    private static Dictionary<string, double> Of(IEnumerable<CounterTotal> totals, string metric) =>
        totals.Where(t => t.Metric == metric).GroupBy(t => t.Dimension).ToDictionary(g => g.Key, g => g.Sum(t => t.Value), StringComparer.Ordinal);

    private static double? Rate(long part, long whole) => whole <= 0 ? null : Math.Round((double)part / whole, 4);
}

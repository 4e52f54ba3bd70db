using SalesFlow.Core.Analytics;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>The pre-aggregated analytics of the calling client (docs/analytics.md defines every figure).</summary>
public static class AnalyticsApi
{
    private const string RangeHelp = " from/to: ISO dates or date-times (UTC days; default the last 30 days, at most 400).";

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/analytics").WithTags("Analytics").RequireClientKey();
        api.MapGet("/funnel", FunnelAsync).WithName("GetAnalyticsFunnel")
            .WithSummary("Leads created in the range that reached each micro-step (first reply … won), with the conversion from the step before." + RangeHelp);
        api.MapGet("/personality", PersonalityAsync).WithName("GetAnalyticsPersonality")
            .WithSummary("Per DISC type: leads created in the range with that primary type, how many were won, and the conversion." + RangeHelp);
        api.MapGet("/channels", ChannelsAsync).WithName("GetAnalyticsChannels")
            .WithSummary("The leads' reply rate and median/p90 reply time to SalesFlow's replies, by channel and by hour of day in the client's zone." + RangeHelp);
        api.MapGet("/autonomy", AutonomyAsync).WithName("GetAnalyticsAutonomy")
            .WithSummary("The share of conversations (leads created in the range) handled without a human, and the escalation reasons with counts." + RangeHelp);
        api.MapGet("/ai-usage", AiUsageAsync).WithName("GetAnalyticsAiUsage")
            .WithSummary("Model tokens, cost, latency p50/p95 and fallback rate (failed calls) by model." + RangeHelp);
        return app;
    }

    private static Task<IResult> FunnelAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
        ReportAsync(http, store, clock, from, to, AnalyticsMetrics.FunnelSet, (range, totals) => FunnelDto(AnalyticsReports.Funnel(range, totals)), ct);

    private static Task<IResult> PersonalityAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
        ReportAsync(http, store, clock, from, to, AnalyticsMetrics.PersonalitySet, (range, totals) =>
        {
            var report = AnalyticsReports.Personality(range, totals);
            return new { from = Day(range.From), to = Day(range.To), types = report.Types.Select(t => new { type = t.Type, leads = t.Leads, won = t.Won, conversion = t.Conversion }) };
        }, ct);

    private static Task<IResult> ChannelsAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var zone = AnalyticsRecorder.ZoneOf(client);
        return ReportAsync(http, store, clock, from, to, AnalyticsMetrics.ChannelSet, (range, totals) =>
        {
            var report = AnalyticsReports.Channels(range, zone.Id, totals);
            return new
            {
                from = Day(range.From),
                to = Day(range.To),
                timeZone = report.TimeZone,
                byChannel = report.ByChannel.Select(f => ReplyDto("channel", f)),
                byHour = report.ByHour.Select(f => ReplyDto("hour", f)),
            };
        }, ct);
    }

    private static Task<IResult> AutonomyAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
        ReportAsync(http, store, clock, from, to, AnalyticsMetrics.AutonomySet, (range, totals) =>
        {
            var r = AnalyticsReports.Autonomy(range, totals);
            return new
            {
                from = Day(range.From),
                to = Day(range.To),
                conversations = r.Conversations,
                escalated = r.Escalated,
                handledWithoutHuman = r.HandledWithoutHuman,
                autonomyRate = r.AutonomyRate,
                escalationReasons = r.EscalationReasons.Select(x => new { reason = x.Reason, count = x.Count }),
            };
        }, ct);

    private static Task<IResult> AiUsageAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
        ReportAsync(http, store, clock, from, to, AnalyticsMetrics.AiSet, (range, totals) =>
        {
            var r = AnalyticsReports.AiUsage(range, totals);
            return new { from = Day(range.From), to = Day(range.To), total = ModelDto(r.Total), byModel = r.ByModel.Select(ModelDto) };
        }, ct);

    private static async Task<IResult> ReportAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, IReadOnlyList<string> metrics, Func<AnalyticsRange, IReadOnlyList<CounterTotal>, object> build, CancellationToken ct)
    {
        var (range, field, error) = AnalyticsRange.Parse(from, to, clock.GetUtcNow());
        if (range is null)
        {
            return ErrorHandling.BadField(http, field!, error!);
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var totals = await store.TotalsAsync(client.Id, metrics, range.From, range.To, ct);
        return TypedResults.Ok(build(range, totals));
    }

    private static object FunnelDto(FunnelReport report) => new
    {
        from = Day(report.Range.From),
        to = Day(report.Range.To),
        steps = report.Steps.Select(s => new { step = s.Step, leads = s.Leads, conversion = s.Conversion }),
    };

    private static object ReplyDto(string keyName, ReplyFigure f) => new Dictionary<string, object?>
    {
        [keyName] = keyName == "hour" ? int.Parse(f.Key, System.Globalization.CultureInfo.InvariantCulture) : f.Key,
        ["sent"] = f.Sent,
        ["replied"] = f.Replied,
        ["replyRate"] = f.ReplyRate,
        ["medianReplySeconds"] = f.MedianReplySeconds,
        ["p90ReplySeconds"] = f.P90ReplySeconds,
    };

    private static object ModelDto(ModelFigure m) => new
    {
        model = m.Model,
        calls = m.Calls,
        inputTokens = m.InputTokens,
        outputTokens = m.OutputTokens,
        totalTokens = m.InputTokens + m.OutputTokens,
        costUsd = m.CostUsd,
        p50LatencyMs = m.P50LatencyMs,
        p95LatencyMs = m.P95LatencyMs,
        failed = m.Failed,
        fallbackRate = m.FallbackRate,
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

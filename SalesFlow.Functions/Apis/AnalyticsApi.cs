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
            .WithSummary("Leads created in the range that reached each micro-step (first reply … won), with the conversion from the step before." + RangeHelp)
            .Produces<AnalyticsFunnelDto>();
        api.MapGet("/personality", PersonalityAsync).WithName("GetAnalyticsPersonality")
            .WithSummary("Per DISC type: leads created in the range with that primary type, how many were won, and the conversion." + RangeHelp)
            .Produces<AnalyticsPersonalityDto>();
        api.MapGet("/channels", ChannelsAsync).WithName("GetAnalyticsChannels")
            .WithSummary("The leads' reply rate and median/p90 reply time to SalesFlow's replies, by channel and by hour of day in the client's zone." + RangeHelp)
            .Produces<AnalyticsChannelsDto>();
        api.MapGet("/autonomy", AutonomyAsync).WithName("GetAnalyticsAutonomy")
            .WithSummary("The share of conversations (leads created in the range) handled without a human, and the escalation reasons with counts." + RangeHelp)
            .Produces<AnalyticsAutonomyDto>();
        api.MapGet("/ai-usage", AiUsageAsync).WithName("GetAnalyticsAiUsage")
            .WithSummary("Model tokens, cost, latency p50/p95 and fallback rate (failed calls) by model." + RangeHelp)
            .Produces<AnalyticsAiUsageDto>();
        api.ProducesProblem(StatusCodes.Status400BadRequest); // from/to that are not dates, or a range too long
        return app;
    }

    private static Task<IResult> FunnelAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
        ReportAsync(http, store, clock, from, to, AnalyticsMetrics.FunnelSet, (range, totals) =>
        {
            var report = AnalyticsReports.Funnel(range, totals);
            return new AnalyticsFunnelDto(Day(range.From), Day(range.To), [.. report.Steps.Select(s => new FunnelStepDto(s.Step, s.Leads, s.Conversion))]);
        }, ct);

    private static Task<IResult> PersonalityAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
        ReportAsync(http, store, clock, from, to, AnalyticsMetrics.PersonalitySet, (range, totals) =>
        {
            var report = AnalyticsReports.Personality(range, totals);
            return new AnalyticsPersonalityDto(Day(range.From), Day(range.To), [.. report.Types.Select(t => new DiscTypeFigureDto(t.Type, t.Leads, t.Won, t.Conversion))]);
        }, ct);

    private static Task<IResult> ChannelsAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var zone = AnalyticsRecorder.ZoneOf(client);
        return ReportAsync(http, store, clock, from, to, AnalyticsMetrics.ChannelSet, (range, totals) =>
        {
            var report = AnalyticsReports.Channels(range, zone.Id, totals);
            return new AnalyticsChannelsDto(Day(range.From), Day(range.To), report.TimeZone, [.. report.ByChannel.Select(ChannelReplyDto.From)], [.. report.ByHour.Select(HourReplyDto.From)]);
        }, ct);
    }

    private static Task<IResult> AutonomyAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
        ReportAsync(http, store, clock, from, to, AnalyticsMetrics.AutonomySet, (range, totals) =>
        {
            var r = AnalyticsReports.Autonomy(range, totals);
            return new AnalyticsAutonomyDto(Day(range.From), Day(range.To), r.Conversations, r.Escalated, r.HandledWithoutHuman, r.AutonomyRate, [.. r.EscalationReasons.Select(x => new EscalationReasonDto(x.Reason, x.Count))]);
        }, ct);

    private static Task<IResult> AiUsageAsync(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, CancellationToken ct) =>
        ReportAsync(http, store, clock, from, to, AnalyticsMetrics.AiSet, (range, totals) =>
        {
            var r = AnalyticsReports.AiUsage(range, totals);
            return new AnalyticsAiUsageDto(Day(range.From), Day(range.To), ModelUsageDto.From(r.Total), [.. r.ByModel.Select(ModelUsageDto.From)]);
        }, ct);

    private static async Task<IResult> ReportAsync<T>(HttpContext http, IAnalyticsStore store, TimeProvider clock, string? from, string? to, IReadOnlyList<string> metrics, Func<AnalyticsRange, IReadOnlyList<CounterTotal>, T> build, CancellationToken ct)
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

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

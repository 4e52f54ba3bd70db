using SalesFlow.Core.Analytics;

namespace SalesFlow.Functions.Apis;

/// <summary>GET /api/analytics/funnel. From and to are the UTC days of the range (yyyy-MM-dd).</summary>
public sealed record AnalyticsFunnelDto(string From, string To, IReadOnlyList<FunnelStepDto> Steps);

/// <param name="Conversion">Share of the step before that reached this one; null when the step before had none.</param>
public sealed record FunnelStepDto(string Step, long Leads, double? Conversion);

/// <summary>GET /api/analytics/personality.</summary>
public sealed record AnalyticsPersonalityDto(string From, string To, IReadOnlyList<DiscTypeFigureDto> Types);

public sealed record DiscTypeFigureDto(string Type, long Leads, long Won, double? Conversion);

/// <summary>GET /api/analytics/channels: hours are of the day in <see cref="TimeZone"/>.</summary>
public sealed record AnalyticsChannelsDto(string From, string To, string TimeZone, IReadOnlyList<ChannelReplyDto> ByChannel, IReadOnlyList<HourReplyDto> ByHour);

public sealed record ChannelReplyDto(string Channel, long Sent, long Replied, double? ReplyRate, double? MedianReplySeconds, double? P90ReplySeconds)
{
    public static ChannelReplyDto From(ReplyFigure f) => new(f.Key, f.Sent, f.Replied, f.ReplyRate, f.MedianReplySeconds, f.P90ReplySeconds);
}

/// <param name="Hour">The hour of day, 0..23.</param>
public sealed record HourReplyDto(int Hour, long Sent, long Replied, double? ReplyRate, double? MedianReplySeconds, double? P90ReplySeconds)
{
    public static HourReplyDto From(ReplyFigure f) =>
        new(int.Parse(f.Key, System.Globalization.CultureInfo.InvariantCulture), f.Sent, f.Replied, f.ReplyRate, f.MedianReplySeconds, f.P90ReplySeconds);
}

/// <summary>GET /api/analytics/autonomy.</summary>
public sealed record AnalyticsAutonomyDto(string From, string To, long Conversations, long Escalated, long HandledWithoutHuman, double? AutonomyRate, IReadOnlyList<EscalationReasonDto> EscalationReasons);

public sealed record EscalationReasonDto(string Reason, long Count);

/// <summary>GET /api/analytics/ai-usage.</summary>
public sealed record AnalyticsAiUsageDto(string From, string To, ModelUsageDto Total, IReadOnlyList<ModelUsageDto> ByModel);

public sealed record ModelUsageDto(string Model, long Calls, long InputTokens, long OutputTokens, long TotalTokens, decimal CostUsd, double? P50LatencyMs, double? P95LatencyMs, long Failed, double? FallbackRate)
{
    public static ModelUsageDto From(ModelFigure m) =>
        new(m.Model, m.Calls, m.InputTokens, m.OutputTokens, m.InputTokens + m.OutputTokens, m.CostUsd, m.P50LatencyMs, m.P95LatencyMs, m.Failed, m.FallbackRate);
}

using Microsoft.Azure.Functions.Worker;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Functions.Triggers;

/// <summary>The timer triggers (schedules in <see cref="TimerSchedules"/>); standalone, the TimerRunner runs the same handlers on them.</summary>
public sealed class TimerFunctions(TimerDispatcher timers)
{
    [Function(TimerNames.OutboxSweep)]
    public Task OutboxSweep([TimerTrigger(TimerSchedules.OutboxSweep)] TimerInfo timer, CancellationToken ct) => timers.RunAsync(TimerNames.OutboxSweep, ct);

    [Function(TimerNames.InboundSweep)]
    public Task InboundSweep([TimerTrigger(TimerSchedules.InboundSweep)] TimerInfo timer, CancellationToken ct) => timers.RunAsync(TimerNames.InboundSweep, ct);

    [Function(TimerNames.RetentionCleanup)]
    public Task RetentionCleanup([TimerTrigger(TimerSchedules.RetentionCleanup)] TimerInfo timer, CancellationToken ct) => timers.RunAsync(TimerNames.RetentionCleanup, ct);

    [Function(TimerNames.SummaryRefresh)]
    public Task SummaryRefresh([TimerTrigger(TimerSchedules.SummaryRefresh)] TimerInfo timer, CancellationToken ct) => timers.RunAsync(TimerNames.SummaryRefresh, ct);

    [Function(TimerNames.FollowUps)]
    public Task FollowUps([TimerTrigger(TimerSchedules.FollowUps)] TimerInfo timer, CancellationToken ct) => timers.RunAsync(TimerNames.FollowUps, ct);

    [Function(TimerNames.CrmRetry)]
    public Task CrmRetry([TimerTrigger(TimerSchedules.CrmRetry)] TimerInfo timer, CancellationToken ct) => timers.RunAsync(TimerNames.CrmRetry, ct);

    [Function(TimerNames.DailySummary)]
    public Task DailySummary([TimerTrigger(TimerSchedules.DailySummary)] TimerInfo timer, CancellationToken ct) => timers.RunAsync(TimerNames.DailySummary, ct);

    [Function(TimerNames.Recommendations)]
    public Task Recommendations([TimerTrigger(TimerSchedules.Recommendations)] TimerInfo timer, CancellationToken ct) => timers.RunAsync(TimerNames.Recommendations, ct);
    [Function(TimerNames.ScoreRefresh)]
    public Task ScoreRefresh([TimerTrigger(TimerSchedules.ScoreRefresh)] TimerInfo timer, CancellationToken ct) => timers.RunAsync(TimerNames.ScoreRefresh, ct);
}

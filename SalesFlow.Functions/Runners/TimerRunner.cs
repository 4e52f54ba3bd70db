using NCrontab;
using SalesFlow.Core.Observability;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Standalone mode runs the timer functions of the <see cref="FunctionCatalog"/> itself, on their trigger schedules
/// (6-field NCRONTAB, UTC, like the Functions host), through the same <see cref="TimerDispatcher"/> the timer functions call. A run never overlaps the
/// previous one of the same timer; a failure is logged and the next occurrence runs as usual, and a loop that ends
/// anyway is restarted by <see cref="SupervisedLoop"/>.
/// </summary>
public sealed class TimerRunner(TimerDispatcher timers, RuntimeHealth health, TimeProvider clock, ILogger<TimerRunner> logger) : BackgroundService
{
    private static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    public static CrontabSchedule ScheduleOf(TimerFunction function) => CrontabSchedule.Parse(function.Schedule, WithSeconds);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = FunctionCatalog.Timers.Select(function =>
        {
            var handler = timers.HandlerOf(function.Name);
            var schedule = ScheduleOf(function);
            return Task.Run(() => SupervisedLoop.RunAsync($"timer {handler.Name}", ct => LoopAsync(handler, schedule, ct), health, logger, clock, stoppingToken), stoppingToken);
        }).ToList();
        return Task.WhenAll(loops);
    }

    private async Task LoopAsync(ITimerHandler handler, CrontabSchedule schedule, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            await Task.Delay(next - now, clock, ct);
            try
            {
                await handler.RunAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Timer {Timer} failed; next run on schedule", handler.Name);
            }
        }
    }
}

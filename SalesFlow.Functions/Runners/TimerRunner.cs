using NCrontab;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Standalone mode runs the timer functions itself, on the catalog's schedules (6-field NCRONTAB, UTC,
/// like the Functions host), calling the same <see cref="ITimerHandler"/>s. A run never overlaps the
/// previous one of the same timer; a failure is logged and the next occurrence runs as usual.
/// </summary>
public sealed class TimerRunner(IEnumerable<ITimerHandler> handlers, TimeProvider clock, ILogger<TimerRunner> logger) : BackgroundService
{
    private static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    public static CrontabSchedule ScheduleOf(TimerFunction function) => CrontabSchedule.Parse(function.Schedule, WithSeconds);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = handlers.Select(handler =>
        {
            var function = FunctionCatalog.Timers.FirstOrDefault(t => t.Name == handler.Name)
                ?? throw new InvalidOperationException($"Timer handler '{handler.Name}' has no timer function in the FunctionCatalog.");
            return Task.Run(() => LoopAsync(handler, ScheduleOf(function), stoppingToken), stoppingToken);
        }).ToList();
        return Task.WhenAll(loops);
    }

    private async Task LoopAsync(ITimerHandler handler, CrontabSchedule schedule, CancellationToken ct)
    {
        try
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
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}

using SalesFlow.Core.Observability;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Keeps a background loop alive: a loop that throws or returns before shutdown is logged, reported down to
/// <see cref="RuntimeHealth"/> (so /ready says so) and started again after a bounded exponential backoff.
/// The loops catch their own failures; this is the net under them.
/// </summary>
public static class SupervisedLoop
{
    /// <summary>A loop that ran this long before it failed starts again from the shortest backoff.</summary>
    private static readonly TimeSpan Settled = TimeSpan.FromMinutes(1);

    public static async Task RunAsync(string name, Func<CancellationToken, Task> loop, RuntimeHealth health, ILogger logger, TimeProvider clock, CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            health.LoopRunning(name);
            var started = clock.GetUtcNow();
            string reason;
            try
            {
                await loop(ct);
                reason = "the loop returned";
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                reason = $"{e.GetType().Name}: {e.Message}";
                logger.LogError(e, "Worker {Loop} failed", name);
            }

            if (ct.IsCancellationRequested)
            {
                break;
            }

            failures = clock.GetUtcNow() - started > Settled ? 1 : failures + 1;
            var wait = Backoff.Delay(failures);
            health.LoopDown(name, reason);
            logger.LogError("Worker {Loop} stopped ({Reason}); restarting in {Wait}", name, reason, wait);
            try
            {
                await Task.Delay(wait, clock, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        health.LoopEnded(name);
    }
}

/// <summary>Bounded exponential backoff for workers that hit a failure: 1 s, 2 s, 4 s … at most 30 s.</summary>
public static class Backoff
{
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    /// <param name="failures">Failures in a row, from 1.</param>
    public static TimeSpan Delay(int failures) => TimeSpan.FromSeconds(Math.Min(Max.TotalSeconds, Math.Pow(2, Math.Clamp(failures, 1, 16) - 1)));
}

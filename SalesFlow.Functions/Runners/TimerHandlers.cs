using SalesFlow.Core.Delivery;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Functions.Runners;

/// <summary>A scheduled job; its schedule is the catalog's <see cref="TimerFunction"/> of the same name.</summary>
public interface ITimerHandler
{
    string Name { get; }

    Task RunAsync(CancellationToken ct);
}

/// <summary>outbox-sweep: re-enqueues delivery of replies a crash left pending.</summary>
public sealed class OutboxSweepTimer(OutboxSweeper sweeper) : ITimerHandler
{
    public string Name => TimerNames.OutboxSweep;

    public Task RunAsync(CancellationToken ct) => sweeper.SweepAsync(ct);
}

/// <summary>retention-cleanup: drops poison items parked longer than <see cref="KeepPoisonFor"/> (an operator had that long to replay them).</summary>
public sealed class RetentionCleanupTimer(IPoisonRetention poison, TimeProvider clock, ILogger<RetentionCleanupTimer> logger) : ITimerHandler
{
    public static readonly TimeSpan KeepPoisonFor = TimeSpan.FromDays(14);

    public string Name => TimerNames.RetentionCleanup;

    public async Task RunAsync(CancellationToken ct)
    {
        var deleted = await poison.DeletePoisonOlderThanAsync(clock.GetUtcNow() - KeepPoisonFor, ct);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} poison items parked more than {Days} days ago", deleted, KeepPoisonFor.TotalDays);
        }
    }
}

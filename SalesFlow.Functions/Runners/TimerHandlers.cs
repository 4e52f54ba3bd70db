using Microsoft.Extensions.Options;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Memory;
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

/// <summary>inbound-sweep: queues the turn again of conversations whose stored messages have waited too long for an answer.</summary>
public sealed class InboundSweepTimer(InboundSweeper sweeper) : ITimerHandler
{
    public string Name => TimerNames.InboundSweep;

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

/// <summary>summary-refresh: folds messages that left the hot window into the summary of leads whose turns have not (yet).</summary>
public sealed class SummaryRefreshTimer(IMemoryStore store, MemoryService memory, IOptions<MemoryOptions> options, ILogger<SummaryRefreshTimer> logger) : ITimerHandler
{
    /// <summary>Leads per run: a backlog drains over a few runs instead of one long one.</summary>
    public const int MaxLeadsPerRun = 200;

    public string Name => TimerNames.SummaryRefresh;

    public async Task RunAsync(CancellationToken ct)
    {
        var refreshed = 0;
        foreach (var lead in await store.ListStaleLeadsAsync(options.Value.HotWindow, MaxLeadsPerRun, ct))
        {
            try
            {
                refreshed += await memory.RefreshAsync(lead.ClientId, lead.LeadId, ct) ? 1 : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One lead's failure must not starve the others; it is found again next run.
                logger.LogWarning(e, "Summary refresh of lead {LeadId} failed", lead.LeadId);
            }
        }

        if (refreshed > 0)
        {
            logger.LogInformation("Refreshed {Count} conversation summaries", refreshed);
        }
    }
}

/// <summary>follow-ups: runs the follow-up steps whose store timers are due (the standalone driver).</summary>
public sealed class FollowUpSweepTimer(StoreFollowUpDriver driver) : ITimerHandler
{
    public string Name => TimerNames.FollowUps;

    public Task RunAsync(CancellationToken ct) => driver.SweepAsync(ct);
}

/// <summary>crm-retry: queues again the CRM syncs whose last attempt failed transiently and whose retry is due.</summary>
public sealed class CrmRetryTimer(SalesFlow.Core.Crm.CrmRetrySweeper sweeper) : ITimerHandler
{
    public string Name => TimerNames.CrmRetry;

    public Task RunAsync(CancellationToken ct) => sweeper.SweepAsync(ct);
}

using Microsoft.Extensions.Logging;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Crm;

/// <summary>
/// The crm-retry timer's work: queues again the syncs whose last attempt failed transiently and whose retry is due. The
/// failing run queues its own retry already; this catches the ones whose re-queue was lost (a crash right after the failure).
/// </summary>
public sealed class CrmRetrySweeper(ICrmLinkStore links, IWorkQueue queue, TimeProvider clock, ILogger<CrmRetrySweeper> logger)
{
    public const int MaxPerRun = 200;

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var due = await links.ListRetryDueAsync(clock.GetUtcNow(), MaxPerRun, ct);
        foreach (var link in due)
        {
            await queue.EnqueueAsync(Queues.SyncCrm, SyncCrmWork.Serialize(new SyncCrmWork(link.ClientId, link.LeadId)), TimeSpan.Zero, SyncCrmWork.CoalesceKey(link.ClientId, link.LeadId), ct);
        }

        if (due.Count > 0)
        {
            logger.LogInformation("Queued {Count} failed CRM syncs again", due.Count);
        }

        return due.Count;
    }
}

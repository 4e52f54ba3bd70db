using Microsoft.Extensions.Logging;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Delivery;

/// <summary>
/// The outbox relay's safety net. A reply is committed to the outbox before its <c>deliver</c> work
/// is enqueued; a crash between the two leaves the item pending with nothing to send it. The sweep
/// re-enqueues <c>deliver</c> for items still pending after <see cref="StaleAfter"/>, once per item
/// (delivery is idempotent, and the coalesce key merges it with a delivery still waiting in the queue).
/// </summary>
public sealed class OutboxSweeper(IOutboxStore outbox, IWorkQueue queue, TimeProvider clock, ILogger<OutboxSweeper> logger)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);
    private const int Batch = 200;

    /// <summary>Re-dispatches every stale pending item; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var stale = await outbox.ListStalePendingAsync(now - StaleAfter, Batch, ct);
            foreach (var item in stale)
            {
                // Enqueue first, then record: a crash in between re-enqueues once more, which the coalesce key absorbs.
                await queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(item.ClientId, item.Id)), TimeSpan.Zero, DeliverWork.CoalesceKey(item.Id), ct);
                await outbox.MarkRedispatchedAsync(item.ClientId, item.Id, now, ct);
                logger.LogWarning("Outbox item {OutboxId} of client {ClientId} was still pending after {StaleAfter}; deliver re-enqueued", item.Id, item.ClientId, StaleAfter);
            }

            total += stale.Count;
            if (stale.Count < Batch)
            {
                return total;
            }
        }
    }
}

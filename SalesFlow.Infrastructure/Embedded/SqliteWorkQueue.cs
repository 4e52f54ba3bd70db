using System.Globalization;
using SalesFlow.Core.Queue;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// The embedded work queue: a jobs table in the same SQLite file, so a job enqueued before a
/// crash is still there after the restart. A claim is a lease; an expired lease makes the job
/// visible again, exactly like a Storage queue's visibility timeout.
/// </summary>
public sealed class SqliteWorkQueue(SqliteDatabase db, TimeProvider clock) : IWorkQueue, IWorkQueueConsumer, IPoisonRetention, IPoisonQueueAdmin
{
    public event Action<string>? Enqueued;

    public async Task EnqueueAsync(string queue, string payload, TimeSpan delay, string? coalesceKey, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = now + delay;
        // No BEGIN/COMMIT: each statement is atomic on its own, and the writer lock (one process owns the file) keeps
        // another enqueue from slipping between the merge and the insert. A crash between them wrote nothing.
        await db.WriteStatementAsync(async c =>
        {
            if (coalesceKey is not null)
            {
                // Merge into work not yet started; a steady stream cannot postpone it beyond 4× the delay.
                var merged = await c.Command(
                    """
                    UPDATE jobs SET due_at = MAX(due_at, MIN($due, created_at + $cap))
                    WHERE id = (SELECT id FROM jobs WHERE queue = $q AND coalesce_key = $k AND (locked_until IS NULL OR locked_until < $now) ORDER BY id LIMIT 1)
                    """,
                    null,
                    ("$due", due.Ms()),
                    ("$cap", (long)(delay.TotalMilliseconds * 4)),
                    ("$q", queue),
                    ("$k", coalesceKey),
                    ("$now", now.Ms())).ExecAsync();
                if (merged == 1)
                {
                    return merged;
                }
            }

            return await c.Command(
                "INSERT INTO jobs (queue, payload, coalesce_key, due_at, created_at) VALUES ($q, $p, $k, $due, $now)",
                null,
                ("$q", queue),
                ("$p", payload),
                ("$k", coalesceKey),
                ("$due", due.Ms()),
                ("$now", now.Ms())).ExecAsync();
        }, ct);

        // Wake the workers once the work is committed (inside a grouped intake: after the group's commit, once per queue);
        // delayed work (a burst window's turn) wakes them again when it falls due rather than at their next idle poll.
        db.AfterCommit("enqueued:" + queue, () => Enqueued?.Invoke(queue));
        if (delay > TimeSpan.Zero)
        {
            _ = WakeWhenDueAsync(queue, delay);
        }
    }

    /// <summary>
    /// Tells the workers again when delayed work falls due, so it is claimed then rather than at their next idle poll.
    /// A merge may have moved the job later; that wake then finds nothing and polling goes on. One timer per queue and
    /// <see cref="WakeSlot"/>: a burst of delayed work (every message's turn waits out the burst window) would otherwise
    /// hold a timer each, and the runtime's timer queue costs CPU on every tick in proportion to them.
    /// </summary>
    private async Task WakeWhenDueAsync(string queue, TimeSpan delay)
    {
        var slot = ((clock.GetUtcNow() + delay).UtcTicks + WakeSlot.Ticks - 1) / WakeSlot.Ticks;
        if (!_wakes.TryAdd((queue, slot), 0))
        {
            return;
        }

        try
        {
            var wait = new DateTimeOffset(slot * WakeSlot.Ticks, TimeSpan.Zero) - clock.GetUtcNow();
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock);
        }
        finally
        {
            _wakes.TryRemove((queue, slot), out _);
        }

        Enqueued?.Invoke(queue);
    }

    /// <summary>Delayed work due within the same slot shares one wake-up, at the slot's end.</summary>
    private static readonly TimeSpan WakeSlot = TimeSpan.FromMilliseconds(10);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Queue, long Slot), byte> _wakes = new();

    public Task<WorkItem?> ClaimAsync(string queue, TimeSpan lease, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // One statement (claiming and reading back in RETURNING), so no BEGIN/COMMIT around it: SQLite runs it atomically.
        return db.WriteStatementAsync(async c => (await c.Command(
            """
            UPDATE jobs SET locked_until = $until, dequeue_count = dequeue_count + 1
            WHERE id = (SELECT id FROM jobs WHERE queue = $q AND due_at <= $now AND (locked_until IS NULL OR locked_until < $now) ORDER BY due_at, id LIMIT 1)
            RETURNING id, queue, payload, dequeue_count
            """,
            null,
            ("$until", (now + lease).Ms()),
            ("$q", queue),
            ("$now", now.Ms())).QueryAsync(r => new WorkItem(r.GetInt64(0).ToString(CultureInfo.InvariantCulture), r.GetString(1), r.GetString(2), (int)r.GetInt64(3)))).FirstOrDefault(), ct);
    }

    public Task CompleteAsync(WorkItem item, CancellationToken ct) =>
        db.WriteStatementAsync(c => c.Command("DELETE FROM jobs WHERE id = $id", null, ("$id", long.Parse(item.Id, CultureInfo.InvariantCulture))).ExecAsync(), ct);

    public Task FailAsync(WorkItem item, string error, TimeSpan retryAfter, int maxDequeueCount, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var poison = item.DequeueCount >= maxDequeueCount;
        return db.WriteAsync((c, t) => c.Command(
            "UPDATE jobs SET queue = $q, due_at = $due, locked_until = NULL, last_error = $err WHERE id = $id",
            t,
            ("$q", poison ? Queues.Poison(item.Queue) : item.Queue),
            ("$due", (poison ? now : now + retryAfter).Ms()),
            ("$err", error),
            ("$id", long.Parse(item.Id, CultureInfo.InvariantCulture))).ExecAsync(), ct);
    }

    public Task<int> CountAsync(string queue, CancellationToken ct) =>
        db.ReadAsync(async c => Convert.ToInt32(await c.Command("SELECT COUNT(*) FROM jobs WHERE queue = $q", null, ("$q", queue)).ScalarAsync(), CultureInfo.InvariantCulture));

    /// <summary>A coalesced item keeps the creation time of its first enqueue: the oldest work it carries.</summary>
    public Task<DateTimeOffset?> OldestEnqueuedAtAsync(string queue, CancellationToken ct) =>
        db.ReadAsync(c => c.Command("SELECT MIN(created_at) FROM jobs WHERE queue = $q", null, ("$q", queue)).TimeOrNullAsync());

    public Task<IReadOnlyList<PoisonMessage>> ListAsync(string queue, int max, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<PoisonMessage>>(async c => await c.Command(
            "SELECT id, payload, dequeue_count, last_error FROM jobs WHERE queue = $pq ORDER BY id LIMIT $max",
            null,
            ("$pq", Queues.Poison(queue)),
            ("$max", Math.Max(0, max))).QueryAsync(r => new PoisonMessage(
                r.GetInt64(0).ToString(CultureInfo.InvariantCulture), queue, r.GetString(1), (int)r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3))));

    public async Task<int> ReplayAsync(string queue, CancellationToken ct)
    {
        var moved = await db.WriteAsync((c, t) => c.Command(
            "UPDATE jobs SET queue = $q, dequeue_count = 0, due_at = $now, locked_until = NULL WHERE queue = $pq",
            t,
            ("$q", queue),
            ("$pq", Queues.Poison(queue)),
            ("$now", clock.GetUtcNow().Ms())).ExecAsync(), ct);
        if (moved > 0)
        {
            Enqueued?.Invoke(queue);
        }

        return moved;
    }

    public Task<IReadOnlyList<PoisonMessage>> ListForClientAsync(string queue, string clientId, int max, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<PoisonMessage>>(async c => await c.Command(
            "SELECT id, payload, dequeue_count, last_error FROM jobs WHERE queue = $pq AND json_valid(payload) AND json_extract(payload, '$.clientId') = $c ORDER BY id LIMIT $max",
            null,
            ("$pq", Queues.Poison(queue)),
            ("$c", clientId),
            ("$max", Math.Max(0, max))).QueryAsync(r => new PoisonMessage(
                r.GetInt64(0).ToString(CultureInfo.InvariantCulture), queue, r.GetString(1), (int)r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3))));

    public async Task<bool> ReplayForClientAsync(string queue, string clientId, string id, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var rowId))
        {
            return false;
        }

        var moved = await db.WriteAsync((c, t) => c.Command(
            """
            UPDATE jobs SET queue = $q, dequeue_count = 0, due_at = $now, locked_until = NULL
            WHERE id = $id AND queue = $pq AND json_valid(payload) AND json_extract(payload, '$.clientId') = $c
            """,
            t,
            ("$q", queue),
            ("$pq", Queues.Poison(queue)),
            ("$id", rowId),
            ("$c", clientId),
            ("$now", clock.GetUtcNow().Ms())).ExecAsync(), ct);
        if (moved > 0)
        {
            Enqueued?.Invoke(queue);
        }

        return moved > 0;
    }

    /// <summary>
    /// One process owns the embedded data directory, so leases held at start-up belong to a
    /// process that died: their work is made visible at once instead of after the lease.
    /// </summary>
    public Task ReleaseLeasesOfDeadProcessAsync(CancellationToken ct) =>
        db.WriteAsync((c, t) => c.Command("UPDATE jobs SET locked_until = NULL WHERE locked_until IS NOT NULL", t).ExecAsync(), ct);

    /// <summary>A poison item's due time is the moment it was parked (see <see cref="FailAsync"/>).</summary>
    public Task<int> DeletePoisonOlderThanAsync(DateTimeOffset parkedBefore, CancellationToken ct) =>
        db.WriteAsync((c, t) => c.Command(
            "DELETE FROM jobs WHERE queue LIKE '%' || $suffix AND due_at < $before",
            t,
            ("$suffix", Queues.Poison(string.Empty)),
            ("$before", parkedBefore.Ms())).ExecAsync(), ct);
}

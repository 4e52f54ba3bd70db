namespace SalesFlow.Core.Queue;

/// <summary>Names of the work queues; each has a handler and a poison queue "&lt;name&gt;-poison".</summary>
public static class Queues
{
    public const string ProcessInbound = "process-inbound";
    public const string Deliver = "deliver";
    public const string IngestKnowledge = "ingest-knowledge";
    public const string SyncCrm = "sync-crm";

    /// <summary>Every work queue, for sweeps that visit them all (poison retention, readiness).</summary>
    public static IReadOnlyList<string> All { get; } = [ProcessInbound, Deliver, IngestKnowledge, SyncCrm];

    public static string Poison(string queue) => queue + "-poison";
}

/// <summary>A unit of queued work as a handler sees it.</summary>
public sealed record WorkItem(string Id, string Queue, string Payload, int DequeueCount);

/// <summary>Durable at-least-once work queue. Handlers must be idempotent.</summary>
public interface IWorkQueue
{
    /// <summary>
    /// Enqueues work due after <paramref name="delay"/>. With a <paramref name="coalesceKey"/>,
    /// work not yet started under the same key is merged into one item whose due time moves
    /// to the later of the two (a burst of messages gets one turn).
    /// </summary>
    Task EnqueueAsync(string queue, string payload, TimeSpan delay, string? coalesceKey, CancellationToken ct);
}

/// <summary>The side a standalone runner uses to take work; the Functions host does this in the cloud.</summary>
public interface IWorkQueueConsumer
{
    Task<WorkItem?> ClaimAsync(string queue, TimeSpan lease, CancellationToken ct);

    Task CompleteAsync(WorkItem item, CancellationToken ct);

    /// <summary>Makes the item visible again after <paramref name="retryAfter"/>, or parks it in the poison queue after <paramref name="maxDequeueCount"/> tries.</summary>
    Task FailAsync(WorkItem item, string error, TimeSpan retryAfter, int maxDequeueCount, CancellationToken ct);

    Task<int> CountAsync(string queue, CancellationToken ct);

    /// <summary>When the oldest item still in <paramref name="queue"/> was enqueued (waiting, retrying or running); null when it is empty.</summary>
    Task<DateTimeOffset?> OldestEnqueuedAtAsync(string queue, CancellationToken ct);

    /// <summary>Signalled when work is enqueued, so runners need not poll fast.</summary>
    event Action<string>? Enqueued;
}

public interface IWorkHandler
{
    string Queue { get; }

    Task HandleAsync(WorkItem item, CancellationToken ct);
}

/// <summary>Retention of parked work: the embedded queue keeps poison items until they are this old.</summary>
public interface IPoisonRetention
{
    /// <summary>Deletes poison items parked before <paramref name="parkedBefore"/>; returns how many.</summary>
    Task<int> DeletePoisonOlderThanAsync(DateTimeOffset parkedBefore, CancellationToken ct);
}

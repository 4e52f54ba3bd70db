namespace SalesFlow.Core.Queue;

/// <summary>
/// A work item parked in a poison queue after too many failed tries.
/// </summary>
/// <param name="Id">The item's id in its store (a Storage message id, a jobs row id).</param>
/// <param name="Queue">The work queue it failed in (the one a replay returns it to), not the poison queue's name.</param>
/// <param name="DequeueCount">How often the item has been taken. The embedded queue keeps the count of the failed tries; a Storage poison message starts again from 0.</param>
/// <param name="LastError">The last failure, where the store keeps it (the embedded queue does; Storage queues do not).</param>
public sealed record PoisonMessage(string Id, string Queue, string Payload, int DequeueCount, string? LastError);

/// <summary>What an operator needs to look at and replay work parked in "&lt;queue&gt;-poison".</summary>
public interface IPoisonQueueAdmin
{
    /// <summary>Up to <paramref name="max"/> items parked in the poison queue of <paramref name="queue"/>, oldest first; nothing is changed.</summary>
    Task<IReadOnlyList<PoisonMessage>> ListAsync(string queue, int max, CancellationToken ct);

    /// <summary>Moves every item of the poison queue of <paramref name="queue"/> back to <paramref name="queue"/>, due now, with its tries reset; returns how many moved.</summary>
    Task<int> ReplayAsync(string queue, CancellationToken ct);
}

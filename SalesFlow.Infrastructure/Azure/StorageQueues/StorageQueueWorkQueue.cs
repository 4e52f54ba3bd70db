using System.Collections.Concurrent;
using SalesFlow.Core.Queue;

namespace SalesFlow.Infrastructure.Azure.StorageQueues;

/// <summary>
/// The work queue on Azure Queue Storage: the same queues the Functions host's queue triggers
/// listen to, so work enqueued here runs under the host in the cloud, or under the standalone
/// runner (through <see cref="IWorkQueueConsumer"/>) anywhere else. Messages are base64 UTF-8, as
/// the queue trigger expects by default; queues are created on first use.
/// <para>
/// Differences from the embedded queue:
/// <list type="bullet">
/// <item>Coalescing: a Storage queue cannot merge messages, so <c>coalesceKey</c> is ignored and a
/// burst of messages makes one queue message each. That is safe because the process-inbound handler
/// is idempotent: it answers every unanswered inbound message of the lead in one turn, and a later
/// item for the same lead finds nothing left to answer.</item>
/// <item>A claimed item's <see cref="WorkItem.Id"/> is <c>"&lt;messageId&gt;|&lt;popReceipt&gt;"</c>: the
/// receipt of that claim, needed to complete or fail it. When the lease ran out and someone else
/// took the message, completing or failing it is a no-op (the new owner decides).</item>
/// <item>Parking in the poison queue copies the message text to "&lt;queue&gt;-poison" (as the Functions
/// host does) and then deletes the original; the error text is not kept.</item>
/// <item><see cref="CountAsync"/> is the service's approximate count (visible and invisible messages);
/// <see cref="OldestEnqueuedAtAsync"/> sees only visible ones (what a peek returns).</item>
/// </list>
/// </para>
/// </summary>
public sealed class StorageQueueWorkQueue(StorageQueueClient client) : IWorkQueue, IWorkQueueConsumer, IPoisonQueueAdmin, IPoisonRetention
{
    private const char IdSeparator = '|';
    private static readonly TimeSpan ReplayLease = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, bool> _existing = new(StringComparer.Ordinal);

    public event Action<string>? Enqueued;

    public StorageQueueClient Client => client;

    public async Task EnqueueAsync(string queue, string payload, TimeSpan delay, string? coalesceKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (delay > StorageQueueClient.MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A Storage queue message can be delayed by at most 7 days; schedule longer waits as persisted follow-ups.");
        }

        // coalesceKey is ignored on purpose: see the class remarks.
        await EnsureQueueAsync(queue, ct);
        await client.PutMessageAsync(queue, payload, delay > TimeSpan.Zero ? delay : null, null, ct);
        Enqueued?.Invoke(queue);
    }

    public async Task<WorkItem?> ClaimAsync(string queue, TimeSpan lease, CancellationToken ct)
    {
        await EnsureQueueAsync(queue, ct);
        var messages = await client.GetMessagesAsync(queue, 1, lease, ct);
        return messages.Count == 0
            ? null
            : new WorkItem(messages[0].MessageId + IdSeparator + messages[0].PopReceipt, queue, messages[0].Text, messages[0].DequeueCount);
    }

    public async Task CompleteAsync(WorkItem item, CancellationToken ct)
    {
        var (messageId, popReceipt) = ParseId(item);
        await IgnoringLostLeaseAsync(() => client.DeleteMessageAsync(item.Queue, messageId, popReceipt, ct));
    }

    public async Task FailAsync(WorkItem item, string error, TimeSpan retryAfter, int maxDequeueCount, CancellationToken ct)
    {
        var (messageId, popReceipt) = ParseId(item);
        if (item.DequeueCount >= maxDequeueCount)
        {
            // Copy first, then delete: a crash in between leaves a duplicate (handlers are idempotent), never a loss.
            var poison = Queues.Poison(item.Queue);
            await EnsureQueueAsync(poison, ct);
            await client.PutMessageAsync(poison, item.Payload, null, null, ct);
            await IgnoringLostLeaseAsync(() => client.DeleteMessageAsync(item.Queue, messageId, popReceipt, ct));
            return;
        }

        var visibleIn = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter > StorageQueueClient.MaxVisibilityTimeout ? StorageQueueClient.MaxVisibilityTimeout : retryAfter;
        await IgnoringLostLeaseAsync(() => client.UpdateMessageAsync(item.Queue, messageId, popReceipt, visibleIn, ct));
    }

    public async Task<int> CountAsync(string queue, CancellationToken ct)
    {
        await EnsureQueueAsync(queue, ct);
        return await client.GetApproximateMessageCountAsync(queue, ct);
    }

    /// <summary>The oldest visible message (a peek sees no message that is delayed or being worked on).</summary>
    public async Task<DateTimeOffset?> OldestEnqueuedAtAsync(string queue, CancellationToken ct)
    {
        await EnsureQueueAsync(queue, ct);
        return (await client.PeekMessagesAsync(queue, 1, ct)) is [var oldest, ..] ? oldest.InsertionTime : null;
    }

    /// <summary>Peeks at most 32 messages (the service's limit for a peek); visible messages only.</summary>
    public async Task<IReadOnlyList<PoisonMessage>> ListAsync(string queue, int max, CancellationToken ct)
    {
        if (max <= 0)
        {
            return [];
        }

        var poison = Queues.Poison(queue);
        await EnsureQueueAsync(poison, ct);
        var peeked = await client.PeekMessagesAsync(poison, Math.Min(max, 32), ct);
        return [.. peeked.Select(m => new PoisonMessage(m.MessageId, queue, m.Text, m.DequeueCount, null))];
    }

    public async Task<int> ReplayAsync(string queue, CancellationToken ct)
    {
        var poison = Queues.Poison(queue);
        await EnsureQueueAsync(poison, ct);
        await EnsureQueueAsync(queue, ct);
        var moved = 0;
        while (true)
        {
            var batch = await client.GetMessagesAsync(poison, 32, ReplayLease, ct);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                await client.PutMessageAsync(queue, message.Text, null, null, ct);
                await IgnoringLostLeaseAsync(() => client.DeleteMessageAsync(poison, message.MessageId, message.PopReceipt, ct));
                moved++;
            }
        }

        if (moved > 0)
        {
            Enqueued?.Invoke(queue);
        }

        return moved;
    }

    /// <summary>The Storage message id of a claimed item (its <see cref="WorkItem.Id"/> also carries the claim's pop receipt).</summary>
    public static string MessageIdOf(WorkItem item) => ParseId(item).MessageId;

    private async Task EnsureQueueAsync(string queue, CancellationToken ct)
    {
        if (_existing.ContainsKey(queue))
        {
            return;
        }

        await client.CreateIfNotExistsAsync(queue, ct);
        _existing[queue] = true;
    }

    private static (string MessageId, string PopReceipt) ParseId(WorkItem item)
    {
        var at = item.Id.IndexOf(IdSeparator, StringComparison.Ordinal);
        return at > 0 && at < item.Id.Length - 1
            ? (item.Id[..at], item.Id[(at + 1)..])
            : throw new ArgumentException($"'{item.Id}' is not the id of an item claimed from a Storage queue (expected messageId|popReceipt).", nameof(item));
    }

    private static async Task IgnoringLostLeaseAsync(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (StorageQueueException e) when (e.ErrorCode is StorageQueueErrorCodes.MessageNotFound or StorageQueueErrorCodes.PopReceiptMismatch)
        {
            // The lease ran out and the message was taken again (or is gone): its new owner decides.
        }
    }

    /// <summary>
    /// Deletes poison messages parked before <paramref name="parkedBefore"/> (their insertion time
    /// in the poison queue). Younger ones are taken for a moment and become visible again.
    /// </summary>
    public async Task<int> DeletePoisonOlderThanAsync(DateTimeOffset parkedBefore, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var poison in Queues.All.Select(Queues.Poison))
        {
            await EnsureQueueAsync(poison, ct);
            while (true)
            {
                var batch = await client.GetMessagesAsync(poison, 32, ReplayLease, ct);
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (var message in batch.Where(m => m.InsertionTime < parkedBefore))
                {
                    await client.DeleteMessageAsync(poison, message.MessageId, message.PopReceipt, ct);
                    deleted++;
                }
            }
        }

        return deleted;
    }
}

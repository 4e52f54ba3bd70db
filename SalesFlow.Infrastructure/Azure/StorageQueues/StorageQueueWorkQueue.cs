using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using SalesFlow.Core.Queue;

namespace SalesFlow.Infrastructure.Azure.StorageQueues;

/// <summary>
/// The work queue on Azure Queue Storage: the same queues the Functions host's queue triggers
/// listen to, so work enqueued here runs under the host in the cloud, or under the standalone
/// runner (through <see cref="IWorkQueueConsumer"/>) anywhere else. It talks to the service through the
/// <c>Azure.Storage.Queues</c> SDK (<see cref="QueueServiceClient"/>, built by
/// <see cref="StorageQueueOptions.CreateServiceClient"/>): messages are base64 UTF-8, as the queue trigger
/// expects by default, and never expire; queues are created on first use.
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
public sealed class StorageQueueWorkQueue(QueueServiceClient service) : IWorkQueue, IWorkQueueConsumer, IPoisonQueueAdmin, IPoisonRetention
{
    /// <summary>The largest visibility timeout (delay or lease) the service accepts.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <summary>The most messages one receive or peek returns.</summary>
    private const int MaxBatch = 32;

    /// <summary>The service's spelling of "never expires" (messagettl=-1); the SDK's default would drop work after 7 days.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private const char IdSeparator = '|';
    private static readonly TimeSpan ReplayLease = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, QueueClient> _existing = new(StringComparer.Ordinal);

    public event Action<string>? Enqueued;

    public async Task EnqueueAsync(string queue, string payload, TimeSpan delay, string? coalesceKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (delay > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A Storage queue message can be delayed by at most 7 days; schedule longer waits as persisted follow-ups.");
        }

        // coalesceKey is ignored on purpose: see the class remarks.
        var client = await QueueAsync(queue, ct);
        await client.SendMessageAsync(payload, delay > TimeSpan.Zero ? WholeSeconds(delay) : null, NeverExpires, ct);
        Enqueued?.Invoke(queue);
    }

    public async Task<WorkItem?> ClaimAsync(string queue, TimeSpan lease, CancellationToken ct)
    {
        var client = await QueueAsync(queue, ct);
        QueueMessage[] messages = (await client.ReceiveMessagesAsync(1, AtLeastOneSecond(lease), ct)).Value;
        return messages is [var message, ..]
            ? new WorkItem(message.MessageId + IdSeparator + message.PopReceipt, queue, message.Body.ToString(), (int)message.DequeueCount)
            : null;
    }

    public async Task CompleteAsync(WorkItem item, CancellationToken ct)
    {
        var (messageId, popReceipt) = ParseId(item);
        var client = await QueueAsync(item.Queue, ct);
        await IgnoringLostLeaseAsync(() => client.DeleteMessageAsync(messageId, popReceipt, ct));
    }

    public async Task FailAsync(WorkItem item, string error, TimeSpan retryAfter, int maxDequeueCount, CancellationToken ct)
    {
        var (messageId, popReceipt) = ParseId(item);
        var client = await QueueAsync(item.Queue, ct);
        if (item.DequeueCount >= maxDequeueCount)
        {
            // Copy first, then delete: a crash in between leaves a duplicate (handlers are idempotent), never a loss.
            var poison = await QueueAsync(Queues.Poison(item.Queue), ct);
            await poison.SendMessageAsync(item.Payload, null, NeverExpires, ct);
            await IgnoringLostLeaseAsync(() => client.DeleteMessageAsync(messageId, popReceipt, ct));
            return;
        }

        var visibleIn = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter > MaxVisibilityTimeout ? MaxVisibilityTimeout : WholeSeconds(retryAfter);
        await IgnoringLostLeaseAsync(() => client.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: visibleIn, cancellationToken: ct));
    }

    /// <summary>The service's approximate count (visible and invisible messages).</summary>
    public async Task<int> CountAsync(string queue, CancellationToken ct)
    {
        var client = await QueueAsync(queue, ct);
        return (await client.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
    }

    /// <summary>The oldest visible message (a peek sees no message that is delayed or being worked on).</summary>
    public async Task<DateTimeOffset?> OldestEnqueuedAtAsync(string queue, CancellationToken ct)
    {
        var client = await QueueAsync(queue, ct);
        PeekedMessage[] peeked = (await client.PeekMessagesAsync(1, ct)).Value;
        return peeked is [var oldest, ..] ? oldest.InsertedOn : null;
    }

    /// <summary>Peeks at most 32 messages (the service's limit for a peek); visible messages only.</summary>
    public async Task<IReadOnlyList<PoisonMessage>> ListAsync(string queue, int max, CancellationToken ct)
    {
        if (max <= 0)
        {
            return [];
        }

        var poison = await QueueAsync(Queues.Poison(queue), ct);
        PeekedMessage[] peeked = (await poison.PeekMessagesAsync(Math.Min(max, MaxBatch), ct)).Value;
        return [.. peeked.Select(m => new PoisonMessage(m.MessageId, queue, m.Body.ToString(), (int)m.DequeueCount, null))];
    }

    public async Task<int> ReplayAsync(string queue, CancellationToken ct)
    {
        var poison = await QueueAsync(Queues.Poison(queue), ct);
        var target = await QueueAsync(queue, ct);
        var moved = 0;
        while ((await poison.ReceiveMessagesAsync(MaxBatch, ReplayLease, ct)).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                await target.SendMessageAsync(message.Body.ToString(), null, NeverExpires, ct);
                await IgnoringLostLeaseAsync(() => poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct));
                moved++;
            }
        }

        if (moved > 0)
        {
            Enqueued?.Invoke(queue);
        }

        return moved;
    }

    /// <summary>A peek sees only the front 32 messages, so another client's parked work ahead can hide this client's.</summary>
    public async Task<IReadOnlyList<PoisonMessage>> ListForClientAsync(string queue, string clientId, int max, CancellationToken ct) =>
        [.. (await ListAsync(queue, MaxBatch, ct)).Where(m => WorkPayloadClient.Of(m.Payload) == clientId).Take(Math.Max(0, max))];

    /// <summary>Takes the parked messages batch by batch; the one asked for moves, every other is made visible again at once.</summary>
    public async Task<bool> ReplayForClientAsync(string queue, string clientId, string id, CancellationToken ct)
    {
        var poison = await QueueAsync(Queues.Poison(queue), ct);
        var taken = new List<QueueMessage>();
        QueueMessage? found = null;
        try
        {
            while (found is null && (await poison.ReceiveMessagesAsync(MaxBatch, ReplayLease, ct)).Value is { Length: > 0 } batch)
            {
                foreach (var message in batch)
                {
                    if (found is null && message.MessageId == id && WorkPayloadClient.Of(message.Body.ToString()) == clientId)
                    {
                        found = message;
                    }
                    else
                    {
                        taken.Add(message);
                    }
                }
            }

            if (found is null)
            {
                return false;
            }

            var target = await QueueAsync(queue, ct);
            await target.SendMessageAsync(found.Body.ToString(), null, NeverExpires, ct);
            await IgnoringLostLeaseAsync(() => poison.DeleteMessageAsync(found.MessageId, found.PopReceipt, ct));
            Enqueued?.Invoke(queue);
            return true;
        }
        finally
        {
            foreach (var message in taken)
            {
                await IgnoringLostLeaseAsync(() => poison.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None));
            }
        }
    }

    /// <summary>
    /// Deletes poison messages parked before <paramref name="parkedBefore"/> (their insertion time
    /// in the poison queue). Younger ones are taken for a moment and become visible again.
    /// </summary>
    public async Task<int> DeletePoisonOlderThanAsync(DateTimeOffset parkedBefore, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var name in Queues.All.Select(Queues.Poison))
        {
            var poison = await QueueAsync(name, ct);
            while ((await poison.ReceiveMessagesAsync(MaxBatch, ReplayLease, ct)).Value is { Length: > 0 } batch)
            {
                foreach (var message in batch.Where(m => m.InsertedOn < parkedBefore))
                {
                    await IgnoringLostLeaseAsync(() => poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct));
                    deleted++;
                }
            }
        }

        return deleted;
    }

    /// <summary>The Storage message id of a claimed item (its <see cref="WorkItem.Id"/> also carries the claim's pop receipt).</summary>
    public static string MessageIdOf(WorkItem item) => ParseId(item).MessageId;

    private async ValueTask<QueueClient> QueueAsync(string queue, CancellationToken ct)
    {
        if (_existing.TryGetValue(queue, out var known))
        {
            return known;
        }

        var client = service.GetQueueClient(queue);
        await client.CreateIfNotExistsAsync(cancellationToken: ct);
        return _existing[queue] = client;
    }

    private static (string MessageId, string PopReceipt) ParseId(WorkItem item)
    {
        var at = item.Id.IndexOf(IdSeparator, StringComparison.Ordinal);
        return at > 0 && at < item.Id.Length - 1
            ? (item.Id[..at], item.Id[(at + 1)..])
            : throw new ArgumentException($"'{item.Id}' is not the id of an item claimed from a Storage queue (expected messageId|popReceipt).", nameof(item));
    }

    /// <summary>The service counts visibility in whole seconds; rounding up never makes work due early.</summary>
    private static TimeSpan WholeSeconds(TimeSpan value) => TimeSpan.FromSeconds(Math.Ceiling(value.TotalSeconds));

    /// <summary>A lease (visibility timeout of a receive) must be at least one second.</summary>
    private static TimeSpan AtLeastOneSecond(TimeSpan lease) =>
        lease > MaxVisibilityTimeout ? MaxVisibilityTimeout : TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(lease.TotalSeconds)));

    private static async Task IgnoringLostLeaseAsync(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (RequestFailedException e) when (e.ErrorCode == QueueErrorCode.MessageNotFound || e.ErrorCode == QueueErrorCode.PopReceiptMismatch)
        {
            // The lease ran out and the message was taken again (or is gone): its new owner decides.
        }
    }
}

using System.Diagnostics;
using SalesFlow.Core.Adapters.Azure.StorageQueues;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>The semantics of SqliteWorkQueueTests where a Storage queue has them, against a real Azurite.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class StorageQueueWorkQueueAgainstAzuriteTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly StorageQueueWorkQueue _queue = new(azurite.NewClient());
    private readonly string _q = AzuriteFixture.NewQueueName("w");

    [Fact]
    public async Task WorkIsNotVisibleBeforeItsDelay()
    {
        var watch = Stopwatch.StartNew();
        await _queue.EnqueueAsync(_q, "p", TimeSpan.FromSeconds(2), null, default);

        Assert.Null(await _queue.ClaimAsync(_q, Lease, default));
        var item = await Eventually.ReturnsAsync(() => _queue.ClaimAsync(_q, Lease, default), i => i is not null, TimeSpan.FromSeconds(10));
        Assert.Equal("p", item!.Payload);
        Assert.Equal(_q, item.Queue);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5), $"claimed after {watch.Elapsed}");
    }

    [Fact]
    public async Task AClaimedItemIsInvisibleUntilItsLeaseRunsOut()
    {
        await _queue.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        var first = await _queue.ClaimAsync(_q, TimeSpan.FromSeconds(1), default);

        Assert.Null(await _queue.ClaimAsync(_q, TimeSpan.FromSeconds(1), default));
        var again = await Eventually.ReturnsAsync(() => _queue.ClaimAsync(_q, Lease, default), i => i is not null, TimeSpan.FromSeconds(10));
        Assert.Equal(StorageQueueWorkQueue.MessageIdOf(first!), StorageQueueWorkQueue.MessageIdOf(again!));
        Assert.Equal(2, again!.DequeueCount);
    }

    [Fact]
    public async Task CompletedWorkIsGone()
    {
        await _queue.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        var item = await _queue.ClaimAsync(_q, Lease, default);

        await _queue.CompleteAsync(item!, default);

        Assert.Equal(0, await _queue.CountAsync(_q, default));
    }

    [Fact]
    public async Task CompletingAfterTheLeaseWentToAnotherRunnerLeavesTheWorkToIt()
    {
        await _queue.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        var stale = await _queue.ClaimAsync(_q, TimeSpan.FromSeconds(1), default);
        var current = await Eventually.ReturnsAsync(() => _queue.ClaimAsync(_q, Lease, default), i => i is not null, TimeSpan.FromSeconds(10));

        await _queue.CompleteAsync(stale!, default);
        await _queue.FailAsync(stale!, "late", TimeSpan.Zero, maxDequeueCount: 5, default);

        Assert.Equal(1, await _queue.CountAsync(_q, default));
        Assert.Null(await _queue.ClaimAsync(_q, Lease, default)); // still leased by the current owner
        await _queue.CompleteAsync(current!, default);
        Assert.Equal(0, await _queue.CountAsync(_q, default));
    }

    [Fact]
    public async Task FailedWorkComesBackAfterItsRetryDelay()
    {
        await _queue.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        var item = await _queue.ClaimAsync(_q, Lease, default);

        await _queue.FailAsync(item!, "boom", TimeSpan.FromSeconds(2), maxDequeueCount: 5, default);

        Assert.Null(await _queue.ClaimAsync(_q, Lease, default));
        var retry = await Eventually.ReturnsAsync(() => _queue.ClaimAsync(_q, Lease, default), i => i is not null, TimeSpan.FromSeconds(10));
        Assert.Equal(2, retry!.DequeueCount);
    }

    [Fact]
    public async Task FailedWorkIsRetriedThenParkedInThePoisonQueue()
    {
        await _queue.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var item = await _queue.ClaimAsync(_q, Lease, default);
            Assert.Equal(attempt, item!.DequeueCount);
            await _queue.FailAsync(item, "boom", TimeSpan.Zero, maxDequeueCount: 3, default);
        }

        Assert.Equal(0, await _queue.CountAsync(_q, default));
        Assert.Equal(1, await _queue.CountAsync(Queues.Poison(_q), default));
    }

    [Fact]
    public async Task PoisonedWorkIsListedAndReplayedIntoItsQueue()
    {
        foreach (var payload in new[] { """{"n":1}""", """{"n":2}""" })
        {
            await _queue.EnqueueAsync(_q, payload, TimeSpan.Zero, null, default);
            var item = await _queue.ClaimAsync(_q, Lease, default);
            await _queue.FailAsync(item!, "boom", TimeSpan.Zero, maxDequeueCount: 1, default);
        }

        var parked = await _queue.ListAsync(_q, 10, default);

        Assert.Equal(["""{"n":1}""", """{"n":2}"""], parked.Select(p => p.Payload));
        Assert.All(parked, p => Assert.Equal(_q, p.Queue));
        Assert.Equal(2, await _queue.CountAsync(Queues.Poison(_q), default)); // listing changes nothing

        string? signalled = null;
        _queue.Enqueued += q => signalled = q;
        Assert.Equal(2, await _queue.ReplayAsync(_q, default));

        Assert.Equal(_q, signalled);
        Assert.Equal(0, await _queue.CountAsync(Queues.Poison(_q), default));
        Assert.Empty(await _queue.ListAsync(_q, 10, default));
        var replayed = await _queue.ClaimAsync(_q, Lease, default);
        Assert.Equal(1, replayed!.DequeueCount);
        Assert.Equal(2, await _queue.CountAsync(_q, default));
    }

    [Fact]
    public async Task ACoalesceKeyCannotMergeStorageMessagesSoEveryEnqueueIsKept()
    {
        await _queue.EnqueueAsync(_q, "lead-1", TimeSpan.Zero, "lead-1", default);
        await _queue.EnqueueAsync(_q, "lead-1", TimeSpan.Zero, "lead-1", default);

        Assert.Equal(2, await _queue.CountAsync(_q, default));
    }

    [Fact]
    public async Task EnqueueSignalsWaitingRunners()
    {
        string? signalled = null;
        _queue.Enqueued += q => signalled = q;
        await _queue.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default);
        Assert.Equal(_q, signalled);
    }

    [Fact]
    public async Task ClaimingFromAQueueNobodyUsedYetFindsNothing()
    {
        Assert.Null(await _queue.ClaimAsync(_q, Lease, default));
        Assert.Equal(0, await _queue.CountAsync(_q, default));
    }
}

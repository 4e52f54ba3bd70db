using SalesFlow.Infrastructure.Azure.StorageQueues;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>
/// What only the Storage queue does, against a real Azurite: pop receipts of a lapsed lease, an ignored
/// coalesce key. The behaviour it shares with the embedded queue is in <see cref="WorkQueueContractTests"/>.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class StorageQueueWorkQueueAgainstAzuriteTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly StorageQueueWorkQueue _queue = new(azurite.NewServiceClient());
    private readonly string _q = AzuriteFixture.NewQueueName("w");

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
    public async Task ACoalesceKeyCannotMergeStorageMessagesSoEveryEnqueueIsKept()
    {
        await _queue.EnqueueAsync(_q, "lead-1", TimeSpan.Zero, "lead-1", default);
        await _queue.EnqueueAsync(_q, "lead-1", TimeSpan.Zero, "lead-1", default);

        Assert.Equal(2, await _queue.CountAsync(_q, default));
    }
}

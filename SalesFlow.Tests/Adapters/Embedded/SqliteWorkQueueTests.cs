using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Embedded;

/// <summary>
/// What only the embedded queue does (coalescing, leases of a dead process, what a parked item keeps).
/// The behaviour it shares with the Storage queue is in <see cref="WorkQueueContractTests"/>.
/// </summary>
public sealed class SqliteWorkQueueTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly ManualClock _clock = new();
    private readonly SqliteWorkQueue _queue;

    public SqliteWorkQueueTests() => _queue = new SqliteWorkQueue(_temp.Db, _clock);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task LeasesOfADeadProcessAreReleasedAtStart()
    {
        await _queue.EnqueueAsync("q", "p", TimeSpan.Zero, null, default);
        await _queue.ClaimAsync("q", TimeSpan.FromMinutes(5), default);

        await _queue.ReleaseLeasesOfDeadProcessAsync(default);

        Assert.NotNull(await _queue.ClaimAsync("q", TimeSpan.FromMinutes(5), default));
    }

    /// <summary>Coalescing is embedded-only (a Storage queue cannot merge messages), so it is not in the contract.</summary>
    [Fact]
    public async Task WorkUnderTheSameCoalesceKeyIsMergedUntilStarted()
    {
        await _queue.EnqueueAsync("q", "lead-1", TimeSpan.FromSeconds(1), "lead-1", default);
        _clock.Advance(TimeSpan.FromMilliseconds(800));
        await _queue.EnqueueAsync("q", "lead-1", TimeSpan.FromSeconds(1), "lead-1", default);
        await _queue.EnqueueAsync("q", "lead-2", TimeSpan.FromSeconds(1), "lead-2", default);

        Assert.Equal(2, await _queue.CountAsync("q", default));
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Null(await _queue.ClaimAsync("q", TimeSpan.FromMinutes(1), default)); // the merged item's due time moved on
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var claimed = await _queue.ClaimAsync("q", TimeSpan.FromMinutes(1), default);
        Assert.Equal("lead-1", claimed!.Payload);

        // Once started, new work under the key is a new item (it must not be lost in the running one).
        await _queue.EnqueueAsync("q", "lead-1", TimeSpan.Zero, "lead-1", default);
        Assert.Equal(3, await _queue.CountAsync("q", default));
    }

    /// <summary>The embedded queue keeps the last error and the count of failed tries of parked work (a Storage poison message keeps neither).</summary>
    [Fact]
    public async Task PoisonedWorkKeepsItsLastErrorAndItsTries()
    {
        await ParkAsync("q", "p1", "boom 1");
        await ParkAsync("q", "p2", "boom 2");

        var parked = await _queue.ListAsync("q", 10, default);

        Assert.Equal(["boom 1", "boom 2"], parked.Select(p => p.LastError));
        Assert.All(parked, p => Assert.Equal(1, p.DequeueCount));
    }

    private async Task ParkAsync(string queue, string payload, string error)
    {
        await _queue.EnqueueAsync(queue, payload, TimeSpan.Zero, null, default);
        var item = await _queue.ClaimAsync(queue, TimeSpan.FromMinutes(1), default);
        await _queue.FailAsync(item!, error, TimeSpan.Zero, maxDequeueCount: 1, default);
    }
}

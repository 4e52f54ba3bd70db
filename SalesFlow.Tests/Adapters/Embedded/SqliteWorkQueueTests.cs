using SalesFlow.Core.Adapters.Embedded;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Embedded;

public sealed class SqliteWorkQueueTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly ManualClock _clock = new();
    private readonly SqliteWorkQueue _queue;

    public SqliteWorkQueueTests() => _queue = new SqliteWorkQueue(_temp.Db, _clock);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WorkIsNotVisibleBeforeItsDelay()
    {
        await _queue.EnqueueAsync("q", "p", TimeSpan.FromSeconds(2), null, default);

        Assert.Null(await _queue.ClaimAsync("q", TimeSpan.FromMinutes(1), default));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("p", (await _queue.ClaimAsync("q", TimeSpan.FromMinutes(1), default))!.Payload);
    }

    [Fact]
    public async Task AClaimedItemIsInvisibleUntilItsLeaseRunsOut()
    {
        await _queue.EnqueueAsync("q", "p", TimeSpan.Zero, null, default);
        var first = await _queue.ClaimAsync("q", TimeSpan.FromSeconds(30), default);

        Assert.Null(await _queue.ClaimAsync("q", TimeSpan.FromSeconds(30), default));
        _clock.Advance(TimeSpan.FromSeconds(31));
        var again = await _queue.ClaimAsync("q", TimeSpan.FromSeconds(30), default);
        Assert.Equal(first!.Id, again!.Id);
        Assert.Equal(2, again.DequeueCount);
    }

    [Fact]
    public async Task LeasesOfADeadProcessAreReleasedAtStart()
    {
        await _queue.EnqueueAsync("q", "p", TimeSpan.Zero, null, default);
        await _queue.ClaimAsync("q", TimeSpan.FromMinutes(5), default);

        await _queue.ReleaseLeasesOfDeadProcessAsync(default);

        Assert.NotNull(await _queue.ClaimAsync("q", TimeSpan.FromMinutes(5), default));
    }

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

    [Fact]
    public async Task FailedWorkIsRetriedThenParkedInThePoisonQueue()
    {
        await _queue.EnqueueAsync("q", "p", TimeSpan.Zero, null, default);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var item = await _queue.ClaimAsync("q", TimeSpan.FromMinutes(1), default);
            Assert.Equal(attempt, item!.DequeueCount);
            await _queue.FailAsync(item, "boom", TimeSpan.FromSeconds(5), maxDequeueCount: 3, default);
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(0, await _queue.CountAsync("q", default));
        Assert.Equal(1, await _queue.CountAsync(Queues.Poison("q"), default));
    }

    [Fact]
    public async Task PoisonedWorkIsListedWithItsLastErrorWithoutChangingIt()
    {
        await ParkAsync("q", "p1", "boom 1");
        await ParkAsync("q", "p2", "boom 2");
        await ParkAsync("other", "p3", "boom 3");

        var parked = await _queue.ListAsync("q", 10, default);

        Assert.Equal(["p1", "p2"], parked.Select(p => p.Payload));
        Assert.Equal(["boom 1", "boom 2"], parked.Select(p => p.LastError));
        Assert.All(parked, p => Assert.Equal("q", p.Queue));
        Assert.All(parked, p => Assert.Equal(1, p.DequeueCount));
        Assert.Single(await _queue.ListAsync("q", 1, default));
        Assert.Equal(2, await _queue.CountAsync(Queues.Poison("q"), default));
    }

    [Fact]
    public async Task ReplayMovesPoisonedWorkBackDueNowWithItsTriesReset()
    {
        await ParkAsync("q", "p1", "boom");
        await ParkAsync("other", "p2", "boom");
        string? signalled = null;
        _queue.Enqueued += q => signalled = q;

        Assert.Equal(1, await _queue.ReplayAsync("q", default));

        Assert.Equal("q", signalled);
        Assert.Empty(await _queue.ListAsync("q", 10, default));
        Assert.Single(await _queue.ListAsync("other", 10, default));
        var replayed = await _queue.ClaimAsync("q", TimeSpan.FromMinutes(1), default);
        Assert.Equal("p1", replayed!.Payload);
        Assert.Equal(1, replayed.DequeueCount);
        Assert.Equal(0, await _queue.ReplayAsync("q", default));
    }

    [Fact]
    public async Task EnqueueSignalsWaitingRunners()
    {
        string? signalled = null;
        _queue.Enqueued += q => signalled = q;
        await _queue.EnqueueAsync("deliver", "p", TimeSpan.Zero, null, default);
        Assert.Equal("deliver", signalled);
    }

    private async Task ParkAsync(string queue, string payload, string error)
    {
        await _queue.EnqueueAsync(queue, payload, TimeSpan.Zero, null, default);
        var item = await _queue.ClaimAsync(queue, TimeSpan.FromMinutes(1), default);
        await _queue.FailAsync(item!, error, TimeSpan.Zero, maxDequeueCount: 1, default);
    }
}

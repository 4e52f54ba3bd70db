using Microsoft.Extensions.Time.Testing;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>
/// Delayed work on the embedded queue (a burst window's turn) tells the workers when it falls due, so it is claimed
/// then and not at their next idle poll.
/// </summary>
public sealed class SqliteWorkQueueDueWakeTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task DelayedWorkSignalsItsQueueAgainWhenItFallsDue()
    {
        var queue = new SqliteWorkQueue(_temp.Db, _clock);
        var signals = new List<string>();
        queue.Enqueued += q =>
        {
            lock (signals)
            {
                signals.Add(q);
            }
        };

        await queue.EnqueueAsync("process-inbound", "{}", TimeSpan.FromSeconds(1.5), "demo/lead_1", CancellationToken.None);
        Assert.Equal(new[] { "process-inbound" }, Snapshot(signals));
        Assert.Null(await queue.ClaimAsync("process-inbound", TimeSpan.FromMinutes(2), CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(1.5));
        var woken = await Eventually.ReturnsAsync(() => Task.FromResult(Snapshot(signals)), s => s.Length == 2, because: "the due time wakes the queue's workers");
        Assert.Equal("process-inbound", woken[1]);
        Assert.NotNull(await queue.ClaimAsync("process-inbound", TimeSpan.FromMinutes(2), CancellationToken.None));
    }

    private static string[] Snapshot(List<string> signals)
    {
        lock (signals)
        {
            return [.. signals];
        }
    }

    [Fact]
    public async Task WorkDueAtOnceSignalsOnceAndAMergeIntoWaitingWorkAddsNoSecondJob()
    {
        var queue = new SqliteWorkQueue(_temp.Db, _clock);
        var signals = 0;
        queue.Enqueued += _ => Interlocked.Increment(ref signals);

        await queue.EnqueueAsync("deliver", "{\"a\":1}", TimeSpan.Zero, "deliver/out_1", CancellationToken.None);
        await queue.EnqueueAsync("deliver", "{\"a\":1}", TimeSpan.Zero, "deliver/out_1", CancellationToken.None);

        Assert.Equal(2, signals);
        Assert.Equal(1, await queue.CountAsync("deliver", CancellationToken.None));
    }
}

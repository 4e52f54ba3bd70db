using Microsoft.Extensions.Logging.Abstractions;
using SalesFlow.Core.Observability;
using SalesFlow.Functions.Runners;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>The net under every worker loop, and the health it reports to /ready.</summary>
public sealed class SupervisedLoopTests
{
    [Fact]
    public async Task ALoopThatThrowsIsReportedDownWithTheReasonAndStartedAgainAfterItsBackoff()
    {
        var health = new RuntimeHealth();
        var delays = new ManualDelays();
        var runs = 0;
        var secondRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        var supervised = SupervisedLoop.RunAsync(
            "process-inbound#1",
            async ct =>
            {
                if (Interlocked.Increment(ref runs) == 1)
                {
                    throw new InvalidOperationException("database or disk is full");
                }

                secondRun.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
            health,
            NullLogger.Instance,
            delays,
            stop.Token);

        Assert.Equal(TimeSpan.FromSeconds(1), await delays.Started.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["worker process-inbound#1 is down: InvalidOperationException: database or disk is full"], health.Problems());
        Assert.Equal(1, runs);

        delays.Elapse();
        await secondRun.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(health.Problems());

        await stop.CancelAsync();
        await supervised;
        Assert.Equal(2, runs);
        Assert.Empty(health.Problems());
    }

    [Fact]
    public async Task ALoopThatReturnsBeforeShutdownIsStartedAgain()
    {
        var delays = new ManualDelays();
        var runs = 0;
        var secondRun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        var supervised = SupervisedLoop.RunAsync(
            "timer outbox-sweep",
            async ct =>
            {
                if (Interlocked.Increment(ref runs) == 1)
                {
                    return;
                }

                secondRun.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
            new RuntimeHealth(),
            NullLogger.Instance,
            delays,
            stop.Token);

        await delays.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        delays.Elapse();
        await secondRun.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await supervised;
        Assert.Equal(2, runs);
    }

    [Fact]
    public void StorageCountsAsFailingFromAFailedWriteUntilOneSucceedsAndTheWindowHasPassed()
    {
        var clock = new ManualClock();
        var health = new RuntimeHealth(clock, TimeSpan.FromSeconds(30));
        Assert.Null(health.FailingWrites);

        health.WriteFailed("sqlite", new IOException("database or disk is full"));
        var failing = health.FailingWrites;
        Assert.NotNull(failing);
        Assert.Contains(health.Problems(), p => p.StartsWith("storage writes fail (sqlite)", StringComparison.Ordinal) && p.EndsWith("IOException: database or disk is full", StringComparison.Ordinal));

        // A small write that still fits must not flip readiness back while others fail.
        clock.Advance(TimeSpan.FromSeconds(10));
        health.WriteSucceeded();
        Assert.NotNull(health.FailingWrites);
        health.WriteFailed("queue process-inbound", new IOException("still full"));
        Assert.Equal(failing.Since, health.FailingWrites!.Since);

        // Writes that keep failing stay failing however long it takes.
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull(health.FailingWrites);

        // Once one succeeds and no write has failed for the window, storage is healthy again.
        health.WriteSucceeded();
        Assert.Null(health.FailingWrites);
        Assert.Empty(health.Problems());

        health.WriteFailed("sqlite", new IOException("full again"));
        health.WriteSucceeded();
        Assert.NotNull(health.FailingWrites);
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(health.FailingWrites);
    }

    /// <summary>A clock whose delays end only when the test says so (Task.Delay waits on the provider's timers).</summary>
    private sealed class ManualDelays : TimeProvider
    {
        private readonly List<(TimerCallback Callback, object? State)> _pending = [];

        /// <summary>Completes with the length of the first delay asked for.</summary>
        public TaskCompletionSource<TimeSpan> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_pending)
            {
                _pending.Add((callback, state));
            }

            Started.TrySetResult(dueTime);
            return new Held();
        }

        public void Elapse()
        {
            List<(TimerCallback Callback, object? State)> due;
            lock (_pending)
            {
                due = [.. _pending];
                _pending.Clear();
            }

            foreach (var (callback, state) in due)
            {
                callback(state);
            }
        }

        private sealed class Held : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using SalesFlow.Core.Observability;
using SalesFlow.Functions.Runners;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>The net under every worker loop, and the health it reports to /ready.</summary>
public sealed class SupervisedLoopTests
{
    [Fact]
    public async Task ALoopThatThrowsIsReportedDownWithTheReasonAndStartedAgain()
    {
        var health = new RuntimeHealth();
        var runs = 0;
        var secondRun = new TaskCompletionSource();
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
            TimeProvider.System,
            stop.Token);

        var problems = await Eventually.ReturnsAsync(() => Task.FromResult(health.Problems()), p => p.Count > 0, because: "the loop is down during its backoff");
        Assert.Equal(["worker process-inbound#1 is down: InvalidOperationException: database or disk is full"], problems);
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
        var runs = 0;
        var thirdRun = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();

        var supervised = SupervisedLoop.RunAsync(
            "timer outbox-sweep",
            async ct =>
            {
                if (Interlocked.Increment(ref runs) < 3)
                {
                    return;
                }

                thirdRun.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
            new RuntimeHealth(),
            NullLogger.Instance,
            TimeProvider.System,
            stop.Token);

        await thirdRun.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await supervised;
        Assert.Equal(3, runs);
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
}

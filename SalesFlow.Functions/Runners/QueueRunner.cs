using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Standalone mode does the Functions host's job: drains the queue of each queue function of the
/// <see cref="FunctionCatalog"/> and runs it through the same <see cref="WorkDispatcher"/> the queue functions call. A failure makes the item visible again after a backoff and,
/// after MaxDequeueCount tries, parks it in "&lt;queue&gt;-poison" (the host's behaviour).
/// A worker never dies of a failure, not even of the queue's own (a full or read-only disk): it logs, backs off and
/// goes on, and <see cref="SupervisedLoop"/> restarts one that ends anyway.
/// </summary>
public sealed class QueueRunner(
    WorkDispatcher work,
    IWorkQueueConsumer consumer,
    IServiceProvider services,
    IOptions<SalesFlowOptions> options,
    RuntimeHealth health,
    TimeProvider clock,
    ILogger<QueueRunner> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);
    private readonly Dictionary<string, SemaphoreSlim> _signals = [];

    public bool Started { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<SqliteWorkQueue>() is { } embedded && ReferenceEquals(embedded, consumer))
        {
            await ReleaseLeasesOfDeadProcessAsync(embedded, stoppingToken);
        }

        var loops = new List<Task>();
        foreach (var function in FunctionCatalog.Queues)
        {
            var queue = function.QueueName;
            work.HandlerOf(queue); // a queue function without its handler fails the start, not the first message
            var signal = new SemaphoreSlim(0);
            _signals[queue] = signal;
            for (var i = 0; i < options.Value.WorkersPerQueue; i++)
            {
                var name = $"{queue}#{i + 1}";
                loops.Add(Task.Run(() => SupervisedLoop.RunAsync(name, ct => DrainAsync(queue, signal, ct), health, logger, clock, stoppingToken), stoppingToken));
            }
        }

        consumer.Enqueued += OnEnqueued;
        Started = true;
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            consumer.Enqueued -= OnEnqueued;
        }
    }

    /// <summary>Tried until it works: claiming before it would leave a dead process's work waiting out its lease.</summary>
    private async Task ReleaseLeasesOfDeadProcessAsync(SqliteWorkQueue embedded, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await embedded.ReleaseLeasesOfDeadProcessAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var wait = Backoff.Delay(attempt);
                logger.LogError(ex, "Releasing the leases of a dead process failed; next try in {Wait}", wait);
                await Task.Delay(wait, clock, ct);
            }
        }
    }

    private void OnEnqueued(string queue)
    {
        if (_signals.TryGetValue(queue, out var signal))
        {
            signal.Release();
        }
    }

    private async Task DrainAsync(string queue, SemaphoreSlim signal, CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            WorkItem? item;
            try
            {
                item = await consumer.ClaimAsync(queue, Lease, ct);
                health.WriteSucceeded();
                failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                health.WriteFailed($"queue {queue}", ex);
                var wait = Backoff.Delay(++failures);
                logger.LogError(ex, "Claiming from {Queue} failed; next try in {Wait}", queue, wait);
                await Task.Delay(wait, clock, ct);
                continue;
            }

            if (item is null)
            {
                await signal.WaitAsync(IdlePoll, ct);
                continue;
            }

            await RunAsync(item, ct);
        }
    }

    private async Task RunAsync(WorkItem item, CancellationToken ct)
    {
        using var scope = logger.BeginScope("invocation {InvocationId}", $"{item.Queue}/{item.Id}/{item.DequeueCount}");
        Exception? failure = null;
        try
        {
            await work.RunAsync(item, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // Shutting down: the lease runs out and the item is taken up again.
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        if (failure is null)
        {
            await SettleAsync(item, "complete", () => consumer.CompleteAsync(item, CancellationToken.None), ct);
            return;
        }

        var retryAfter = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, item.DequeueCount)));
        logger.LogError(failure, "{Queue} item {ItemId} failed on try {Try}; retry in {RetryAfter}", item.Queue, item.Id, item.DequeueCount, retryAfter);
        await SettleAsync(item, "fail", () => consumer.FailAsync(item, failure.GetType().Name + ": " + failure.Message, retryAfter, options.Value.MaxDequeueCount, CancellationToken.None), ct);
    }

    /// <summary>
    /// Completes or fails the item, trying again with backoff while the queue refuses (its storage is down) and the
    /// lease lasts; after that the lease runs out and the item is taken up again, so nothing is lost either way.
    /// </summary>
    private async Task SettleAsync(WorkItem item, string what, Func<Task> settle, CancellationToken ct)
    {
        var claimed = clock.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await settle();
                health.WriteSucceeded();
                return;
            }
            catch (Exception ex)
            {
                health.WriteFailed($"queue {item.Queue}", ex);
                var wait = Backoff.Delay(attempt);
                if (ct.IsCancellationRequested || clock.GetUtcNow() + wait - claimed > Lease)
                {
                    logger.LogError(ex, "Could not {What} {Queue} item {ItemId}; it is taken up again when its lease runs out", what, item.Queue, item.Id);
                    return;
                }

                logger.LogError(ex, "Could not {What} {Queue} item {ItemId}; next try in {Wait}", what, item.Queue, item.Id, wait);
                await Task.Delay(wait, clock, ct);
            }
        }
    }
}

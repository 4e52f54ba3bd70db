using System.Diagnostics;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Adapters.Embedded;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Extensions;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Standalone mode does the Functions host's job: drains each work queue and calls the same
/// handler the host would invoke. A failure makes the item visible again after a backoff and,
/// after MaxDequeueCount tries, parks it in "&lt;queue&gt;-poison" (the host's behaviour).
/// </summary>
public sealed class QueueRunner(
    IEnumerable<IWorkHandler> handlers,
    IWorkQueueConsumer consumer,
    IServiceProvider services,
    IOptions<SalesFlowOptions> options,
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
            await embedded.ReleaseLeasesOfDeadProcessAsync(stoppingToken);
        }

        var loops = new List<Task>();
        foreach (var handler in handlers)
        {
            var signal = new SemaphoreSlim(0);
            _signals[handler.Queue] = signal;
            for (var i = 0; i < options.Value.WorkersPerQueue; i++)
            {
                loops.Add(Task.Run(() => DrainAsync(handler, signal, stoppingToken), stoppingToken));
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

    private void OnEnqueued(string queue)
    {
        if (_signals.TryGetValue(queue, out var signal))
        {
            signal.Release();
        }
    }

    private async Task DrainAsync(IWorkHandler handler, SemaphoreSlim signal, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            WorkItem? item;
            try
            {
                item = await consumer.ClaimAsync(handler.Queue, Lease, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Claiming from {Queue} failed", handler.Queue);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                continue;
            }

            if (item is null)
            {
                await signal.WaitAsync(IdlePoll, ct);
                continue;
            }

            await RunAsync(handler, item, ct);
        }
    }

    private async Task RunAsync(IWorkHandler handler, WorkItem item, CancellationToken ct)
    {
        using var scope = logger.BeginScope("invocation {InvocationId}", $"{item.Queue}/{item.Id}/{item.DequeueCount}");
        var started = Stopwatch.GetTimestamp();
        try
        {
            await handler.HandleAsync(item, ct);
            await consumer.CompleteAsync(item, CancellationToken.None);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the item is taken up again.
        }
        catch (Exception ex)
        {
            SalesFlowMetrics.WorkFailures.Add(1, new KeyValuePair<string, object?>("queue", item.Queue));
            var retryAfter = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, item.DequeueCount)));
            logger.LogError(ex, "{Queue} item {ItemId} failed on try {Try}; retry in {RetryAfter}", item.Queue, item.Id, item.DequeueCount, retryAfter);
            await consumer.FailAsync(item, ex.GetType().Name + ": " + ex.Message, retryAfter, options.Value.MaxDequeueCount, CancellationToken.None);
        }
        finally
        {
            SalesFlowMetrics.WorkDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("queue", item.Queue));
        }
    }
}

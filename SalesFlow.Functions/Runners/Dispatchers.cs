using System.Diagnostics;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Queue;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Runs one queue message through its queue's <see cref="IWorkHandler"/>, with the work metrics. Both ways in use it:
/// the queue functions under the Functions host and the standalone <see cref="QueueRunner"/>.
/// </summary>
public sealed class WorkDispatcher(IEnumerable<IWorkHandler> handlers)
{
    private readonly IReadOnlyDictionary<string, IWorkHandler> _byQueue = handlers.ToDictionary(h => h.Queue, StringComparer.Ordinal);

    public IWorkHandler HandlerOf(string queue) =>
        _byQueue.TryGetValue(queue, out var handler) ? handler : throw new InvalidOperationException($"No work handler is registered for queue '{queue}'.");

    /// <summary>Throws what the handler throws: the caller (host or runner) retries and, at last, parks the message in the poison queue.</summary>
    public async Task RunAsync(WorkItem item, CancellationToken ct)
    {
        var handler = HandlerOf(item.Queue);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await handler.HandleAsync(item, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            SalesFlowMetrics.WorkFailures.Add(1, new KeyValuePair<string, object?>("queue", item.Queue));
            throw;
        }
        finally
        {
            SalesFlowMetrics.WorkDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("queue", item.Queue));
        }
    }
}

/// <summary>Runs a timer function's <see cref="ITimerHandler"/> by name: the timer functions under the host and the standalone <see cref="TimerRunner"/>.</summary>
public sealed class TimerDispatcher(IEnumerable<ITimerHandler> handlers)
{
    private readonly IReadOnlyDictionary<string, ITimerHandler> _byName = handlers.ToDictionary(h => h.Name, StringComparer.Ordinal);

    public ITimerHandler HandlerOf(string timer) =>
        _byName.TryGetValue(timer, out var handler) ? handler : throw new InvalidOperationException($"No timer handler is registered as '{timer}'.");

    public Task RunAsync(string timer, CancellationToken ct) => HandlerOf(timer).RunAsync(ct);
}

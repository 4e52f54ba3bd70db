using System.Collections.Concurrent;

namespace SalesFlow.Core.Observability;

/// <summary>
/// What readiness needs to know beyond "the store answers a read": whether every worker loop runs and whether storage
/// takes writes. Loops report themselves (<see cref="LoopRunning"/>, <see cref="LoopDown"/>); the SQLite database,
/// the Cosmos client and the queue runner report each write's outcome. Storage counts as failing while its latest
/// write failed or a write failed within <see cref="FailureWindow"/>: on a nearly full disk some small writes still
/// succeed between the ones that fail, and readiness must not flap back to ready on each of them.
/// </summary>
public sealed class RuntimeHealth(TimeProvider clock, TimeSpan failureWindow)
{
    public static readonly TimeSpan DefaultFailureWindow = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, string?> _loops = new(StringComparer.Ordinal);
    private readonly Lock _writes = new();
    private WriteFailure? _failure;
    private bool _latestFailed;

    public RuntimeHealth()
        : this(TimeProvider.System, DefaultFailureWindow)
    {
    }

    /// <summary>The latest write failure: where, what, when, and since when writes have been failing.</summary>
    public sealed record WriteFailure(string Source, string Error, DateTimeOffset At, DateTimeOffset Since);

    public TimeSpan FailureWindow => failureWindow;

    public void LoopRunning(string loop) => _loops[loop] = null;

    public void LoopDown(string loop, string reason) => _loops[loop] = reason;

    /// <summary>A loop that ended with its host (shutdown) is no longer watched.</summary>
    public void LoopEnded(string loop) => _loops.TryRemove(loop, out _);

    public void WriteSucceeded()
    {
        if (!Volatile.Read(ref _latestFailed))
        {
            return; // the hot path: nothing to change
        }

        lock (_writes)
        {
            _latestFailed = false;
        }
    }

    public void WriteFailed(string source, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        WriteFailed(source, $"{error.GetType().Name}: {error.Message}");
    }

    public void WriteFailed(string source, string error)
    {
        var now = clock.GetUtcNow();
        lock (_writes)
        {
            var since = _failure is { } previous && (_latestFailed || now - previous.At < failureWindow) ? previous.Since : now;
            _failure = new WriteFailure(source, error, now, since);
            _latestFailed = true;
        }
    }

    /// <summary>The latest write failure while storage counts as failing; null once writes work again.</summary>
    public WriteFailure? FailingWrites
    {
        get
        {
            lock (_writes)
            {
                return _failure is { } failure && (_latestFailed || clock.GetUtcNow() - failure.At < failureWindow) ? failure : null;
            }
        }
    }

    /// <summary>Why the app is not ready, one sentence each; empty when it is.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = _loops.Where(l => l.Value is not null).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"worker {l.Key} is down: {l.Value}").ToList();
        if (FailingWrites is { } failure)
        {
            problems.Add($"storage writes fail ({failure.Source}) since {failure.Since:O}: {failure.Error}");
        }

        return problems;
    }
}

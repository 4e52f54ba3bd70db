using System.Diagnostics;

namespace SalesFlow.Core.Observability;

/// <summary>
/// Timestamps of one streamed request, so SalesFlow can tell its own latency from the model's. The endpoint starts it;
/// the reply generator marks the upstream request and tokens; the endpoint marks the first token it writes and the end.
/// It flows with the async context (like Activity.Current), so no signature in between has to carry it.
/// </summary>
public sealed class StreamTimeline
{
    private static readonly AsyncLocal<StreamTimeline?> CurrentSlot = new();

    private StreamTimeline(long startedAt) => StartedAt = startedAt;

    public static StreamTimeline? Current => CurrentSlot.Value;

    public long StartedAt { get; }

    public long? UpstreamRequestedAt { get; private set; }

    public long? FirstUpstreamTokenAt { get; private set; }

    public long? LastUpstreamTokenAt { get; private set; }

    /// <summary>The upstream stream ended (its usage chunk and end marker read).</summary>
    public long? UpstreamDoneAt { get; private set; }

    public long? FirstTokenAt { get; private set; }

    public long? DoneAt { get; private set; }

    /// <summary>Starts a timeline for the current async flow (the request).</summary>
    public static StreamTimeline Start()
    {
        var timeline = new StreamTimeline(Stopwatch.GetTimestamp());
        CurrentSlot.Value = timeline;
        return timeline;
    }

    /// <summary>The reply's streaming request goes to the model (the first one counts: a fallback is not a new start).</summary>
    public void MarkUpstreamRequest() => UpstreamRequestedAt ??= Stopwatch.GetTimestamp();

    public void MarkUpstreamToken()
    {
        var now = Stopwatch.GetTimestamp();
        FirstUpstreamTokenAt ??= now;
        LastUpstreamTokenAt = now;
    }

    public void MarkUpstreamDone() => UpstreamDoneAt = Stopwatch.GetTimestamp();

    public void MarkFirstToken() => FirstTokenAt ??= Stopwatch.GetTimestamp();

    public void MarkDone() => DoneAt ??= Stopwatch.GetTimestamp();

    /// <summary>Request → first token written to the caller.</summary>
    public double? TimeToFirstTokenMs => Ms(StartedAt, FirstTokenAt);

    /// <summary>Request → the reply's upstream request (intake, analysis, state machine); the whole request when no model was asked.</summary>
    public double? PreUpstreamMs => Ms(StartedAt, UpstreamRequestedAt ?? DoneAt);

    /// <summary>End of the upstream stream → done (compliance, outbox, audit, commit); 0 when no model streamed.</summary>
    public double? PostUpstreamMs => (UpstreamDoneAt ?? LastUpstreamTokenAt) is { } upstreamEnd ? Ms(upstreamEnd, DoneAt) : (DoneAt is null ? null : 0);

    /// <summary>SalesFlow's own share: <see cref="PreUpstreamMs"/> + <see cref="PostUpstreamMs"/>.</summary>
    public double? AddedLatencyMs => PreUpstreamMs is { } pre && PostUpstreamMs is { } post ? pre + post : null;

    /// <summary>The model's time to first token (upstream request → first upstream token).</summary>
    public double? UpstreamTimeToFirstTokenMs => UpstreamRequestedAt is { } requested ? Ms(requested, FirstUpstreamTokenAt) : null;

    public double? TotalMs => Ms(StartedAt, DoneAt);

    private static double? Ms(long from, long? to) => to is { } t ? Math.Round(Stopwatch.GetElapsedTime(from, t).TotalMilliseconds, 3) : null;
}

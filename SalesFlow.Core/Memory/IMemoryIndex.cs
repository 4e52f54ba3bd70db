namespace SalesFlow.Core.Memory;

/// <summary>What the cold layer holds: a message or a summary, with its embedding.</summary>
/// <param name="Kind"><see cref="MemoryKinds.Message"/> or <see cref="MemoryKinds.Summary"/>.</param>
/// <param name="Seq">The message's sequence number; for a summary the newest message it covers.</param>
public sealed record MemoryEntry(string Kind, long Seq, string Text, bool FromLead, DateTimeOffset At, float[] Vector);

/// <summary>An older message or summary found relevant to the current turn.</summary>
public sealed record Recall(string Kind, long Seq, string Text, bool FromLead, DateTimeOffset At, float Score);

public static class MemoryKinds
{
    public const string Message = "message";
    public const string Summary = "summary";
}

/// <summary>
/// The cold layer: per-lead vectors of messages and summaries. Adapters store and score; embedding happens in
/// <see cref="MemoryService"/>, so an adapter never calls a model.
/// </summary>
public interface IMemoryIndex
{
    /// <summary>Adds the entries; an entry of the same kind and sequence number already there is kept (idempotent).</summary>
    Task AddAsync(string clientId, string leadId, IReadOnlyList<MemoryEntry> entries, CancellationToken ct);

    /// <summary>The newest message sequence number indexed for the lead (0 for none).</summary>
    Task<long> IndexedThroughSeqAsync(string clientId, string leadId, CancellationToken ct);

    Task<int> CountAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>
    /// The <paramref name="top"/> entries most similar (cosine) to <paramref name="query"/> with a similarity of at
    /// least <paramref name="floor"/>, best first; only entries with a sequence number below <paramref name="beforeSeq"/>
    /// (what is still in the hot window is not recalled).
    /// </summary>
    Task<IReadOnlyList<Recall>> SearchAsync(string clientId, string leadId, float[] query, int top, float floor, long beforeSeq, CancellationToken ct);
}

namespace SalesFlow.Core.Knowledge;

/// <summary>A chunk ready for the index: its text and its embedding.</summary>
public sealed record IndexedChunk(int Ordinal, string Text, int Tokens, ReadOnlyMemory<float> Vector);

/// <summary>Which source a chunk came from, stored beside it so a hit can be cited.</summary>
public sealed record ChunkSource(string ClientId, string KnowledgeBaseId, string SourceId, SourceKind Kind, string? Title);

/// <summary>
/// A search against the index. <see cref="KnowledgeBaseIds"/> restricts to those bases (the caller
/// has checked they are the client's); null means every base of the client.
/// </summary>
public sealed record IndexQuery(string ClientId, IReadOnlyList<string>? KnowledgeBaseIds, string Text, ReadOnlyMemory<float> Vector, int Top, SearchMode Mode);

/// <summary>A ranked hit; Score is in 0..1 (see <see cref="Passage"/>).</summary>
public sealed record IndexHit(ChunkSource Source, int Ordinal, string Text, double Score);

/// <summary>The searchable chunk index: SQLite FTS5 + in-memory vectors, or Azure AI Search.</summary>
public interface IKnowledgeIndex
{
    /// <summary>Replaces every chunk of the source with <paramref name="chunks"/> (re-ingesting never duplicates).</summary>
    Task ReplaceSourceAsync(ChunkSource source, IReadOnlyList<IndexedChunk> chunks, CancellationToken ct);

    Task DeleteSourceAsync(string clientId, string knowledgeBaseId, string sourceId, CancellationToken ct);

    Task DeleteBaseAsync(string clientId, string knowledgeBaseId, CancellationToken ct);

    Task<IReadOnlyList<IndexHit>> SearchAsync(IndexQuery query, CancellationToken ct);
}

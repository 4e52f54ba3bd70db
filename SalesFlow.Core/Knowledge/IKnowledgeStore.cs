using SalesFlow.Core.Common;

namespace SalesFlow.Core.Knowledge;

/// <summary>Bases and sources (metadata, content, progress). Every call is scoped by client id.</summary>
public interface IKnowledgeStore
{
    Task CreateBaseAsync(KnowledgeBase knowledgeBase, CancellationToken ct);

    Task<KnowledgeBase?> GetBaseAsync(string clientId, string id, CancellationToken ct);

    Task<IReadOnlyList<KnowledgeBase>> ListBasesAsync(string clientId, CancellationToken ct);

    /// <summary>Deletes the base and its sources; false when it did not exist.</summary>
    Task<bool> DeleteBaseAsync(string clientId, string id, CancellationToken ct);

    /// <summary>Inserts or replaces a source (same id replaces) and touches the base's update time.</summary>
    Task UpsertSourceAsync(KnowledgeSource source, CancellationToken ct);

    Task<KnowledgeSource?> GetSourceAsync(string clientId, string knowledgeBaseId, string id, CancellationToken ct);

    /// <summary>
    /// One page of the base's sources without their content, newest first by creation (then id), starting after
    /// <paramref name="after"/> (null for the first page). A replaced source keeps its creation time, so it keeps its place.
    /// </summary>
    Task<Page<KnowledgeSource>> ListSourcesAsync(string clientId, string knowledgeBaseId, PagePosition? after, int limit, CancellationToken ct);

    /// <summary>Records progress; ignored when the source's content changed since <paramref name="expectedUpdatedAt"/> (a newer import owns it).</summary>
    Task<bool> SetStatusAsync(string clientId, string knowledgeBaseId, string id, DateTimeOffset expectedUpdatedAt, IngestStatus status, int chunks, int tokens, string? error, CancellationToken ct);

    Task<int> ClearBaseAsync(string clientId, string knowledgeBaseId, CancellationToken ct);

    Task<KnowledgeStats> GetStatsAsync(string clientId, string knowledgeBaseId, CancellationToken ct);

    /// <summary>
    /// The client's bases, documents and chunks over all its bases, for the quota check before every import. Read from
    /// indexes (never the sources' content): it runs on every write.
    /// </summary>
    Task<KnowledgeUsage> GetUsageAsync(string clientId, CancellationToken ct);
}

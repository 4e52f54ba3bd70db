namespace SalesFlow.Core.Knowledge;

/// <summary>How a search ranks: keyword (BM25), vector (cosine) or both fused by reciprocal rank fusion.</summary>
public enum SearchMode
{
    Hybrid,
    Keyword,
    Vector,
}

/// <summary>A search as the service receives it; null values take the configured defaults.</summary>
public sealed record KnowledgeQuery(string Query, string? KnowledgeBaseId = null, int? Top = null, double? MinScore = null, SearchMode Mode = SearchMode.Hybrid);

/// <summary>
/// One retrieved chunk. <see cref="SourceId"/> is the document's or FAQ's id, which a reply cites.
/// Score is in 0..1: cosine similarity for vector and hybrid search, a normalised BM25 for keyword search.
/// </summary>
public sealed record Passage(string SourceId, string KnowledgeBaseId, SourceKind Kind, string? Title, string Text, double Score);

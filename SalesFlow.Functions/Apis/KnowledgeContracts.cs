using SalesFlow.Core.Knowledge;

namespace SalesFlow.Functions.Apis;

/// <summary>What a base holds and how far its ingestion got.</summary>
/// <param name="Pending">Sources still being ingested (queue work).</param>
public sealed record KnowledgeStatsDto(int Documents, int Faqs, int Chunks, int Tokens, int Pending, int Failed, DateTimeOffset? LastUpdate)
{
    public static KnowledgeStatsDto From(KnowledgeStats s) => new(s.Documents, s.Faqs, s.Chunks, s.Tokens, s.Pending, s.Failed, s.LastUpdate);
}

public sealed record KnowledgeBaseDto(string Id, string Name, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, KnowledgeStatsDto Stats)
{
    public static KnowledgeBaseDto From(KnowledgeBase b, KnowledgeStats stats) => new(b.Id, b.Name, b.Description, b.CreatedAt, b.UpdatedAt, KnowledgeStatsDto.From(stats));
}

/// <summary>A document or FAQ of a base with its ingestion status.</summary>
/// <param name="Kind">document or faq.</param>
/// <param name="Error">Why ingestion failed; null otherwise.</param>
public sealed record KnowledgeSourceDto(string Id, string KnowledgeBaseId, string Kind, string? Title, string ContentType, string Status, int Chunks, int Tokens, string? Error, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static KnowledgeSourceDto From(KnowledgeSource s) =>
        new(s.Id, s.KnowledgeBaseId, s.Kind.ToWire(), s.Title, s.ContentType, s.Status.ToWire(), s.ChunkCount, s.TokenCount, s.Error, s.CreatedAt, s.UpdatedAt);
}

/// <summary>GET /api/knowledge/bases: one page in creation order.</summary>
public sealed record KnowledgeBasePageDto(IReadOnlyList<KnowledgeBaseDto> Items, string? Next);

/// <summary>GET /api/knowledge/bases/{id}: the base and one page of its sources, newest first.</summary>
public sealed record KnowledgeBaseDetailDto(KnowledgeBaseDto KnowledgeBase, IReadOnlyList<KnowledgeSourceDto> Sources, string? Next);

/// <summary>POST …/faqs/bulk: how many FAQs were stored, their ids, and the base's stats after.</summary>
public sealed record FaqImportDto(int Imported, IReadOnlyList<string> Ids, KnowledgeStatsDto Stats);

/// <summary>POST …/clear: how many sources were removed, and the base's stats after.</summary>
public sealed record KnowledgeClearedDto(int Removed, KnowledgeStatsDto Stats);

public sealed record KnowledgeSearchResultDto(IReadOnlyList<PassageDto> Passages);

public sealed record PassageDto(string SourceId, string KnowledgeBaseId, string Kind, string? Title, string Text, double Score)
{
    public static PassageDto From(Passage p) => new(p.SourceId, p.KnowledgeBaseId, p.Kind.ToWire(), p.Title, p.Text, p.Score);
}

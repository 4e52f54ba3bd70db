namespace SalesFlow.Core.Knowledge;

/// <summary>A client's named collection of documents and FAQs (e.g. "Products", "Policies").</summary>
public sealed record KnowledgeBase(string ClientId, string Id, string Name, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public enum SourceKind
{
    Document,
    Faq,
}

/// <summary>Where a source is in ingestion: queued, being chunked and embedded, searchable, or failed.</summary>
public enum IngestStatus
{
    Pending,
    Ingesting,
    Ready,
    Failed,
}

/// <summary>
/// A document or FAQ as it was given, with its ingestion progress. The content is kept so that
/// queued ingestion (and a re-index after changing embedders) can run from the store alone.
/// </summary>
public sealed record KnowledgeSource(
    string ClientId,
    string KnowledgeBaseId,
    string Id,
    SourceKind Kind,
    string? Title,
    string ContentType,
    string Content,
    IngestStatus Status,
    int ChunkCount,
    int TokenCount,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>What GET …/stats reports for one base.</summary>
public sealed record KnowledgeStats(int Documents, int Faqs, int Chunks, int Tokens, int Pending, int Failed, DateTimeOffset? LastUpdate);

/// <summary>What one client holds over all its bases, as the quotas count it (documents exclude FAQs; chunks are the sources' recorded chunk counts).</summary>
public sealed record KnowledgeUsage(int Bases, int Documents, long Chunks);

public static class KnowledgeWire
{
    public static string ToWire(this IngestStatus status) => status.ToString().ToLowerInvariant();

    public static string ToWire(this SourceKind kind) => kind == SourceKind.Faq ? "faq" : "document";

    public static IngestStatus ParseStatus(string value) =>
        Common.WireNames.TryParse(value, out IngestStatus status) ? status : throw new FormatException($"Unknown ingest status '{value}'.");

    public static SourceKind ParseKind(string value) => value == "faq" ? SourceKind.Faq : SourceKind.Document;
}

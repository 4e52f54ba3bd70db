using System.ComponentModel.DataAnnotations;

namespace SalesFlow.Core.Knowledge;

/// <summary>Section "Knowledge": limits, chunking, thresholds and the index choice.</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "Knowledge";

    /// <summary>embedded (SQLite FTS5 + in-memory vectors) or azuresearch (Azure AI Search; needs Search:Endpoint).</summary>
    [RegularExpression("^(embedded|azuresearch)$", ErrorMessage = "Knowledge:Index must be 'embedded' or 'azuresearch'.")]
    public string Index { get; set; } = "embedded";

    /// <summary>Largest document accepted, in bytes of UTF-8 text; beyond it the API answers 413.</summary>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "Knowledge:MaxDocumentBytes must be between 1 KiB and 16 MiB.")]
    public int MaxDocumentBytes { get; set; } = 512 * 1024;

    /// <summary>The largest MaxDocumentBytes allowed with the Cosmos store: 1.5 MiB of text leaves room in a 2 MB item for the JSON around it.</summary>
    public const int MaxDocumentBytesInCosmos = 1536 * 1024;

    /// <summary>Documents estimated above this many tokens are ingested as queue work (202) rather than inline (201).</summary>
    [Range(0, 1_000_000, ErrorMessage = "Knowledge:InlineIngestTokens must be between 0 and 1,000,000.")]
    public int InlineIngestTokens { get; set; } = 4000;

    [Range(64, 8000, ErrorMessage = "Knowledge:ChunkTokens must be between 64 and 8000.")]
    public int ChunkTokens { get; set; } = 500;

    [Range(0, 1000, ErrorMessage = "Knowledge:ChunkOverlapTokens must be between 0 and 1000.")]
    public int ChunkOverlapTokens { get; set; } = 50;

    /// <summary>Default threshold for vector-only search (cosine).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Knowledge:VectorMinScore must be between 0 and 1.")]
    public double VectorMinScore { get; set; } = 0.75;

    /// <summary>
    /// Default threshold for hybrid search, on the cosine of the fused hits. Calibrated with the
    /// hashed embedder on the evaluation set (docs/benchmarks.md): relevant top hits score above it,
    /// unrelated questions below. A different embedder needs its own calibration.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Knowledge:HybridMinScore must be between 0 and 1.")]
    public double HybridMinScore { get; set; } = 0.35;

    /// <summary>Default threshold for keyword-only search (normalised BM25).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Knowledge:KeywordMinScore must be between 0 and 1.")]
    public double KeywordMinScore { get; set; }

    [Range(1, 50, ErrorMessage = "Knowledge:DefaultTop must be between 1 and 50.")]
    public int DefaultTop { get; set; } = 5;

    /// <summary>Knowledge bases one client may hold; creating one more is refused (409).</summary>
    [Range(1, 10_000, ErrorMessage = "Knowledge:MaxBasesPerClient must be between 1 and 10,000.")]
    public int MaxBasesPerClient { get; set; } = 20;

    /// <summary>
    /// Documents one client may hold over all its bases (FAQs are not documents: each is one chunk and counts
    /// against <see cref="MaxChunksPerClient"/>). Replacing a document by id does not add one.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Knowledge:MaxDocumentsPerClient must be between 1 and 1,000,000.")]
    public int MaxDocumentsPerClient { get; set; } = 2000;

    /// <summary>
    /// Chunks (document chunks and FAQs) one client may hold over all its bases. 100,000 is the size the embedded
    /// index is benchmarked at (docs/benchmarks.md); a replaced source's chunks are freed by its replacement.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = "Knowledge:MaxChunksPerClient must be between 1 and 10,000,000.")]
    public int MaxChunksPerClient { get; set; } = 100_000;

    /// <summary>
    /// Memory the embedded index may keep for vectors between searches, over all clients and bases; the least
    /// recently searched bases are dropped first. 0 keeps nothing (every search loads its vectors from SQLite).
    /// </summary>
    [Range(0, 1_048_576, ErrorMessage = "Knowledge:VectorCacheMegabytes must be between 0 and 1,048,576.")]
    public int VectorCacheMegabytes { get; set; } = 512;

    public long VectorCacheBytes => VectorCacheMegabytes * 1024L * 1024L;

    public double DefaultMinScore(SearchMode mode) => mode switch
    {
        SearchMode.Vector => VectorMinScore,
        SearchMode.Keyword => KeywordMinScore,
        _ => HybridMinScore,
    };
}

using BenchmarkDotNet.Attributes;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Knowledge.Chunking;

namespace SalesFlow.Benchmarks;

/// <summary>Re-ingesting one 40-section Markdown document (~40 chunks): parse, chunk, embed, replace in SQLite + FTS5.</summary>
[MemoryDiagnoser]
public class IngestionBenchmarks
{
    private SyntheticKnowledge _knowledge = null!;
    private string _document = "";

    [GlobalSetup]
    public void Setup()
    {
        _knowledge = new SyntheticKnowledge();
        _knowledge.FillAsync(1000).GetAwaiter().GetResult();
        _document = _knowledge.Document(sections: 40);
    }

    [GlobalCleanup]
    public void Cleanup() => _knowledge.Dispose();

    [Benchmark]
    public Task<KnowledgeSource> IngestDocument() =>
        _knowledge.Service.AddDocumentAsync(SyntheticKnowledge.ClientId, _knowledge.BaseId, new DocumentInput("bench-doc", null, DocumentBlocks.Markdown, _document), default);

    [Benchmark]
    public IReadOnlyList<TextChunk> ChunkOnly() => new TextChunker().Chunk(_document, DocumentBlocks.Markdown);

    [Benchmark]
    public float[] EmbedOneChunk() => new HashedEmbedder().Embed(_document[..1200]);
}

using BenchmarkDotNet.Attributes;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Benchmarks;

/// <summary>One search (top 5, default thresholds) on the embedded index, vectors already in memory.</summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private SyntheticKnowledge _knowledge = null!;
    private int _next;

    [Params(10_000, 100_000)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _knowledge = new SyntheticKnowledge();
        _knowledge.FillAsync(Chunks).GetAwaiter().GetResult();
        Search(SearchMode.Hybrid).GetAwaiter().GetResult(); // loads the vectors
    }

    [GlobalCleanup]
    public void Cleanup() => _knowledge.Dispose();

    [Benchmark]
    public Task<IReadOnlyList<Passage>> Hybrid() => Search(SearchMode.Hybrid);

    [Benchmark]
    public Task<IReadOnlyList<Passage>> Keyword() => Search(SearchMode.Keyword);

    [Benchmark]
    public Task<IReadOnlyList<Passage>> Vector() => Search(SearchMode.Vector);

    private Task<IReadOnlyList<Passage>> Search(SearchMode mode)
    {
        var query = _knowledge.Queries[_next++ % _knowledge.Queries.Count];
        return _knowledge.Service.SearchAsync(SyntheticKnowledge.ClientId, new KnowledgeQuery(query, _knowledge.BaseId, 5, 0, mode), default);
    }
}

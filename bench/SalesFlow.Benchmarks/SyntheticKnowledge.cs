using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Infrastructure.Embedded.Knowledge;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Knowledge.Chunking;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Queue;

namespace SalesFlow.Benchmarks;

/// <summary>
/// A synthetic knowledge base of a given size on a real SQLite file: documents written from a
/// Zipf-distributed vocabulary (so term frequencies look like language: a few words everywhere,
/// most words rare), ingested through the real service (chunker, hashed embedder, FTS5, vectors).
/// Queries are five words drawn from a random chunk, so they have real matches.
/// </summary>
public sealed class SyntheticKnowledge : IDisposable
{
    public const string ClientId = "bench";
    private const int VocabularySize = 30_000;
    private readonly string[] _vocabulary;
    private readonly double[] _cumulative;
    private readonly Random _random = new(42);
    private readonly string _dir;

    public SyntheticKnowledge()
    {
        _dir = Path.Combine(Path.GetTempPath(), "salesflow-bench-" + Guid.NewGuid().ToString("N"));
        Db = new SqliteDatabase(Path.Combine(_dir, "bench.db"), new RuntimeHealth());
        Index = new SqliteKnowledgeIndex(Db);
        // One synthetic client holds the whole corpus (100,000 chunks are ~10,000 documents): the per-client quotas stay out of the way.
        var options = new KnowledgeOptions { InlineIngestTokens = int.MaxValue, MaxDocumentsPerClient = 1_000_000, MaxChunksPerClient = 10_000_000 };
        Service = new KnowledgeService(new SqliteKnowledgeStore(Db), Index, new HashedEmbedder(), new NoQueue(), Options.Create(options), TimeProvider.System);
        _vocabulary = Enumerable.Range(0, VocabularySize).Select(Word).ToArray();
        _cumulative = new double[VocabularySize];
        var sum = 0.0;
        for (var i = 0; i < VocabularySize; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, 1.07);
            _cumulative[i] = sum;
        }

        for (var i = 0; i < VocabularySize; i++)
        {
            _cumulative[i] /= sum;
        }
    }

    public SqliteDatabase Db { get; }
    public SqliteKnowledgeIndex Index { get; }
    public KnowledgeService Service { get; }
    public string BaseId { get; private set; } = "";
    public List<string> Queries { get; } = [];

    /// <summary>Fills the base with about <paramref name="chunks"/> chunks; returns the chunk count and the seconds it took.</summary>
    public async Task<(int Chunks, double Seconds)> FillAsync(int chunks)
    {
        BaseId = (await Service.CreateBaseAsync(ClientId, "bench", null, default)).Id;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var made = 0;
        var doc = 0;
        while (made < chunks)
        {
            var source = await Service.AddDocumentAsync(ClientId, BaseId, new DocumentInput($"doc-{doc++}", null, DocumentBlocks.Markdown, Document(sections: 10)), default);
            made += source.ChunkCount;
        }

        var seconds = started.Elapsed.TotalSeconds;
        for (var i = 0; i < 200; i++)
        {
            // The search drops stop words; here the commonest 150 words play their part and stay out of queries.
            Queries.Add(string.Join(' ', Enumerable.Range(0, 5).Select(_ => Draw(minRank: 150))));
        }

        return (made, seconds);
    }

    /// <summary>A Markdown document of sections of ~120 words (each becomes a chunk of ~150–250 tokens).</summary>
    public string Document(int sections) => string.Join("\n\n", Enumerable.Range(0, sections).Select(s =>
        $"## {Draw()} {Draw()}\n\n" + string.Join(' ', Enumerable.Range(0, 8).Select(_ => Sentence(15)))));

    private string Sentence(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Draw())) + ".";

    private string Draw(int minRank = 0)
    {
        var low = minRank == 0 ? 0 : _cumulative[minRank - 1];
        var i = Array.BinarySearch(_cumulative, low + (_random.NextDouble() * (1 - low)));
        return _vocabulary[i < 0 ? Math.Min(~i, VocabularySize - 1) : i];
    }

    /// <summary>Pronounceable pseudo-words, distinct per index.</summary>
    private static string Word(int n)
    {
        const string consonants = "bcdfghklmnprstvz";
        const string vowels = "aeiou";
        var chars = new List<char>();
        var x = n + 17;
        do
        {
            chars.Add(consonants[x % consonants.Length]);
            x /= consonants.Length;
            chars.Add(vowels[x % vowels.Length]);
            x /= vowels.Length;
        }
        while (x > 0);
        return new string(chars.ToArray()) + (n % 3 == 0 ? "n" : "");
    }

    public void Dispose()
    {
        Db.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class NoQueue : IWorkQueue
    {
        public Task EnqueueAsync(string queue, string payload, TimeSpan delay, string? coalesceKey, CancellationToken ct) => Task.CompletedTask;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Infrastructure.Embedded.Knowledge;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Knowledge.Chunking;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Queue;

namespace SalesFlow.Eval;

/// <summary>
/// Ingests a corpus into the embedded index (real SQLite, real chunker and embedder, one document per
/// corpus entry) and reports recall@1/5/10 and MRR@10 per search mode, ranking documents by their best
/// chunk; then the hybrid threshold calibration: how many real questions keep a passage and how many
/// unrelated ones are left with nothing, per threshold.
/// </summary>
public static class RetrievalEvaluation
{
    private const string ClientId = "eval";

    public static async Task<string> RunAsync(EvalSet set, TextWriter log)
    {
        var dir = Path.Combine(Path.GetTempPath(), "salesflow-eval-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var db = new SqliteDatabase(Path.Combine(dir, "eval.db"), new RuntimeHealth());
            // The whole evaluation corpus belongs to one client: the per-client quotas must not cut it short.
            var options = new KnowledgeOptions { InlineIngestTokens = int.MaxValue, MaxDocumentsPerClient = 1_000_000, MaxChunksPerClient = 10_000_000 };
            var service = new KnowledgeService(new SqliteKnowledgeStore(db), new SqliteKnowledgeIndex(db), new HashedEmbedder(), new NoQueue(), Options.Create(options), TimeProvider.System);
            var kb = await service.CreateBaseAsync(ClientId, "eval", null, default);
            var started = Stopwatch.StartNew();
            var chunks = 0;
            foreach (var doc in set.Corpus)
            {
                chunks += (await service.AddDocumentAsync(ClientId, kb.Id, new DocumentInput(doc.Id, doc.Title, DocumentBlocks.PlainText, doc.Text), default)).ChunkCount;
            }

            log.WriteLine($"ingested {set.Corpus.Count} documents as {chunks} chunks in {started.Elapsed.TotalSeconds:F1} s");
            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"{set.Corpus.Count} documents ({chunks} chunks), {set.Queries.Count} queries, {set.Unrelated.Count} unrelated questions\n");
            report.AppendLine("| mode | recall@1 | recall@5 | recall@10 | MRR@10 | mean latency |");
            report.AppendLine("|---|---|---|---|---|---|");
            foreach (var mode in new[] { SearchMode.Keyword, SearchMode.Vector, SearchMode.Hybrid })
            {
                var (r1, r5, r10, mrr, latency) = await ScoreAsync(service, set, mode);
                report.AppendLine(CultureInfo.InvariantCulture, $"| {Name(mode)} | {r1:F3} | {r5:F3} | {r10:F3} | {mrr:F3} | {latency:F2} ms |");
            }

            report.AppendLine();
            report.AppendLine(await CalibrationAsync(service, set));
            return report.ToString();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Name(SearchMode mode) => mode switch
    {
        SearchMode.Keyword => "BM25 only (FTS5)",
        SearchMode.Vector => "vector only (hashed)",
        _ => "hybrid (RRF)",
    };

    private static async Task<(double R1, double R5, double R10, double Mrr, double LatencyMs)> ScoreAsync(KnowledgeService service, EvalSet set, SearchMode mode)
    {
        double r1 = 0, r5 = 0, r10 = 0, mrr = 0;
        var watch = new Stopwatch();
        foreach (var query in set.Queries)
        {
            watch.Start();
            var passages = await service.SearchAsync(ClientId, new KnowledgeQuery(query.Text, Top: 50, MinScore: 0, Mode: mode), default);
            watch.Stop();
            var ranked = passages.Select(p => p.SourceId).Distinct().Take(10).ToList();
            var relevant = set.Relevant[query.Id];
            var first = ranked.FindIndex(relevant.Contains);
            double Recall(int k) => (double)ranked.Take(k).Count(relevant.Contains) / relevant.Count;
            r1 += Recall(1);
            r5 += Recall(5);
            r10 += Recall(10);
            mrr += first >= 0 ? 1.0 / (first + 1) : 0;
        }

        var n = set.Queries.Count;
        return (r1 / n, r5 / n, r10 / n, mrr / n, watch.Elapsed.TotalMilliseconds / n);
    }

    private static async Task<string> CalibrationAsync(KnowledgeService service, EvalSet set)
    {
        async Task<List<(double Score, bool Correct)>> TopAsync(IEnumerable<string> queries, Func<string, HashSet<string>?> relevant)
        {
            var tops = new List<(double, bool)>();
            foreach (var q in queries)
            {
                var hits = await service.SearchAsync(ClientId, new KnowledgeQuery(q, Top: 1, MinScore: 0), default);
                tops.Add(hits.Count == 0 ? (0, false) : (hits[0].Score, relevant(q)?.Contains(hits[0].SourceId) == true));
            }

            return tops;
        }

        var byText = set.Queries.GroupBy(q => q.Text).ToDictionary(g => g.Key, g => set.Relevant[g.First().Id]);
        var answerable = await TopAsync(set.Queries.Select(q => q.Text), q => byText[q]);
        var unrelated = await TopAsync(set.Unrelated, _ => null);
        var report = new StringBuilder("Hybrid threshold calibration (score = mean of cosine and query-word coverage of the top fused hit):\n\n| threshold | questions answered | answered with the right document first | unrelated left empty |\n|---|---|---|---|\n");
        for (var t = 0.10; t <= 0.551; t += 0.05)
        {
            var answered = answerable.Count(a => a.Score >= t) / (double)answerable.Count;
            var right = answerable.Count(a => a.Score >= t && a.Correct) / (double)answerable.Count;
            var rejected = unrelated.Count(u => u.Score < t) / (double)unrelated.Count;
            report.AppendLine(CultureInfo.InvariantCulture, $"| {t:F2} | {answered:P0} | {right:P0} | {rejected:P0} |");
        }

        var maxUnrelated = unrelated.Max(u => u.Score);
        report.AppendLine(CultureInfo.InvariantCulture, $"\nHighest unrelated top score: {maxUnrelated:F3}; median answerable top score: {answerable.Select(a => a.Score).Order().ElementAt(answerable.Count / 2):F3}.");
        return report.ToString();
    }

    private sealed class NoQueue : IWorkQueue
    {
        public Task EnqueueAsync(string queue, string payload, TimeSpan delay, string? coalesceKey, CancellationToken ct) => throw new InvalidOperationException("The evaluation ingests inline.");
    }
}

using System.Diagnostics;
using System.Globalization;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Benchmarks;

/// <summary>
/// Per-query latency percentiles (BenchmarkDotNet reports means over batches, not a p99 of single
/// queries): fill N chunks through the service, time the fill (ingestion chunks/s), then time
/// 2,000 single searches per mode after a warm-up.
/// </summary>
public static class LatencyRun
{
    public static async Task RunAsync(int[] sizes)
    {
        Console.WriteLine($"processors: {Environment.ProcessorCount}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine("| chunks | ingestion | mode | p50 | p95 | p99 | max |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var size in sizes)
        {
            using var knowledge = new SyntheticKnowledge();
            var (chunks, seconds) = await knowledge.FillAsync(size);
            var loadWatch = Stopwatch.StartNew();
            await knowledge.Service.SearchAsync(SyntheticKnowledge.ClientId, new KnowledgeQuery("warm up", knowledge.BaseId, 5, 0), default);
            var coldMs = loadWatch.Elapsed.TotalMilliseconds;
            // The last row is the reply path: RetrieveAsync searches every base of the client (no base id given).
            foreach (var (label, mode, everyBase) in new[] { ("Hybrid", SearchMode.Hybrid, false), ("Keyword", SearchMode.Keyword, false), ("Vector", SearchMode.Vector, false), ("Hybrid, every base of the client", SearchMode.Hybrid, true) })
            {
                for (var i = 0; i < 200; i++)
                {
                    await Search(knowledge, mode, i, everyBase);
                }

                var samples = new double[2000];
                for (var i = 0; i < samples.Length; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await Search(knowledge, mode, i, everyBase);
                    samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                Array.Sort(samples);
                string P(double q) => samples[(int)Math.Min(samples.Length - 1, Math.Ceiling(q * samples.Length) - 1)].ToString("F2", CultureInfo.InvariantCulture) + " ms";
                Console.WriteLine($"| {chunks:N0} | {chunks / seconds:N0} chunks/s | {label} | {P(0.50)} | {P(0.95)} | {P(0.99)} | {samples[^1]:F2} ms |");
            }

            Console.WriteLine($"(first search at {chunks:N0} chunks, loading the vectors from SQLite: {coldMs:F0} ms; process working set {Environment.WorkingSet / 1024 / 1024} MB)");
        }
    }

    private static Task<IReadOnlyList<Passage>> Search(SyntheticKnowledge knowledge, SearchMode mode, int i, bool everyBase) =>
        knowledge.Service.SearchAsync(SyntheticKnowledge.ClientId, new KnowledgeQuery(knowledge.Queries[i % knowledge.Queries.Count], everyBase ? null : knowledge.BaseId, 5, 0, mode), default);
}

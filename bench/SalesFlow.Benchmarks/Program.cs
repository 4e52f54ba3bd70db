using BenchmarkDotNet.Running;
using SalesFlow.Benchmarks;

// dotnet run -c Release --project bench/SalesFlow.Benchmarks -- latency [10000 100000]   per-query percentiles + ingestion chunks/s
// dotnet run -c Release --project bench/SalesFlow.Benchmarks -- --filter '*' --job short   BenchmarkDotNet
if (args is ["latency", .. var sizes])
{
    await LatencyRun.RunAsync(sizes.Length > 0 ? sizes.Select(int.Parse).ToArray() : [10_000, 100_000]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(SearchBenchmarks).Assembly).Run(args);

using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SalesFlow.MemoryBench;

// BenchmarkDotNet reports per-iteration means; a turn's tail latency is per call, so the same setup is also timed
// call by call (after warm-up) and its p50/p95/p99 printed. Pass --quick to skip the BenchmarkDotNet job.
var calls = args.SkipWhile(a => a != "--calls").Skip(1).Select(int.Parse).FirstOrDefault(5000);
if (!args.Contains("--quick"))
{
    var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15);
    BenchmarkRunner.Run<ContextAssemblyBenchmark>(DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator));
}

var bench = new ContextAssemblyBenchmark();
await bench.SetupAsync();
try
{
    for (var i = 0; i < 200; i++)
    {
        await bench.BuildAsync();
    }

    var samples = new double[calls];
    ConversationContextStats? stats = null;
    for (var i = 0; i < calls; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var context = await bench.BuildAsync();
        samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        stats ??= new ConversationContextStats(context.Messages.Count, context.Recalls.Count, context.Summary?.Length ?? 0, context.Tokens);
    }

    Array.Sort(samples);
    double P(double q) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(q * samples.Length) - 1)];
    Console.WriteLine($"per-call over {calls} calls, {ContextAssemblyBenchmark.MessageCount} messages: p50 {P(0.50):0.000} ms, p95 {P(0.95):0.000} ms, p99 {P(0.99):0.000} ms, max {samples[^1]:0.000} ms");
    Console.WriteLine($"context: {stats}");
    if (args.Contains("--parts"))
    {
        foreach (var (name, part) in bench.Parts)
        {
            var times = new double[1000];
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < times.Length; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await part();
                times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }

            var allocatedKb = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / times.Length;
            Array.Sort(times);
            Console.WriteLine($"  {name}: p50 {times[499]:0.000} ms, p99 {times[989]:0.000} ms, {allocatedKb:0.0} KB allocated per call");
        }
    }
}
finally
{
    bench.Cleanup();
}

internal sealed record ConversationContextStats(int HotMessages, int Recalls, int SummaryChars, int Tokens);

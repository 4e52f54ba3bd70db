using System.Collections.Concurrent;

namespace SalesFlow.Core.Ai.Usage;

/// <summary>
/// Collects the model calls made within one request (analysis, reply, coach), so the request can report what it cost.
/// Flows with the async context; <see cref="AiUsageTracker"/> adds every record it writes to the current scope.
/// </summary>
public sealed class AiUsageScope
{
    private static readonly AsyncLocal<AiUsageScope?> CurrentSlot = new();
    private readonly ConcurrentQueue<AiUsageRecord> _records = new();

    public static AiUsageScope? Current => CurrentSlot.Value;

    public IReadOnlyList<AiUsageRecord> Records => [.. _records];

    public static AiUsageScope Begin()
    {
        var scope = new AiUsageScope();
        CurrentSlot.Value = scope;
        return scope;
    }

    public void Add(AiUsageRecord record) => _records.Enqueue(record);

    public UsageTotals Total => UsageReport.Sum(_records.Select(r => new UsageTotals(1, r.InputTokens, r.OutputTokens, r.CostUsd)));
}

using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Common;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Ai.Usage;

/// <summary>Who a model call is for; flows from the brain to the usage record.</summary>
public sealed record AiCallContext(string ClientId, string? LeadId, string Purpose);

/// <summary>
/// Prices and records every model call (store + metrics) and answers how much of a client's monthly budget is left.
/// Recording never fails the caller: a store error is logged and the reply goes out anyway.
/// </summary>
public sealed class AiUsageTracker(IUsageStore store, IOptions<AiOptions> options, TimeProvider clock, ILogger<AiUsageTracker> logger)
{
    /// <summary>
    /// How long a client's month-to-date spend read from the store is trusted. The budget is asked before every model
    /// call, and summing a month of usage each time costs a busy client dearly (Cosmos reads every record). This
    /// instance adds its own calls to the cached figure at once; other instances' calls show after at most this long,
    /// so a budget can be overrun by that much spending, as with any soft limit.
    /// </summary>
    public static readonly TimeSpan SpendCacheTime = TimeSpan.FromSeconds(15);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, MonthSpend> _spent = new(StringComparer.Ordinal);

    private AiOptions Options => options.Value;

    /// <summary>Records a call; when the provider reported no usage the tokens are estimated.</summary>
    public async Task<AiUsageRecord> RecordAsync(AiCallContext context, string model, UsageDetails? usage, long estimatedInput, long estimatedOutput, TimeSpan latency, bool succeeded, CancellationToken ct)
    {
        var input = usage?.InputTokenCount ?? estimatedInput;
        var output = usage?.OutputTokenCount ?? estimatedOutput;
        var cost = Options.CostOf(model, input, output);
        var record = new AiUsageRecord(
            Ids.New("ai"),
            context.ClientId,
            context.LeadId,
            model,
            context.Purpose,
            input,
            output,
            cost,
            latency.TotalMilliseconds,
            succeeded,
            clock.GetUtcNow());

        AiUsageScope.Current?.Add(record);
        var tags = new TagList { { "model", model }, { "purpose", context.Purpose }, { "client", context.ClientId } };
        SalesFlowMetrics.AiInputTokens.Add(input, tags);
        SalesFlowMetrics.AiOutputTokens.Add(output, tags);
        SalesFlowMetrics.AiCostUsd.Add((double)cost, tags);
        SalesFlowMetrics.AiCallDuration.Record(latency.TotalMilliseconds, new TagList { { "model", model }, { "purpose", context.Purpose }, { "outcome", succeeded ? "ok" : "failed" } });

        try
        {
            await store.AddAsync(record, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not record AI usage for client {ClientId}", context.ClientId);
        }

        // Counted even when the store failed: the money was spent.
        var month = MonthStart(record.CreatedAt);
        while (_spent.TryGetValue(context.ClientId, out var cached) && cached.Month == month)
        {
            if (_spent.TryUpdate(context.ClientId, cached with { Usd = cached.Usd + cost }, cached))
            {
                break;
            }
        }

        return record;
    }

    /// <summary>What the client may still spend this calendar month (UTC); null when it has no budget.</summary>
    public async Task<decimal?> RemainingBudgetAsync(string clientId, CancellationToken ct)
    {
        var budget = Options.MonthlyBudgetFor(clientId);
        if (budget <= 0)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var month = MonthStart(now);
        if (_spent.TryGetValue(clientId, out var cached) && cached.Month == month && now - cached.ReadAt < SpendCacheTime)
        {
            return budget - cached.Usd;
        }

        var spent = await store.SummarizeClientAsync(clientId, month, ct);
        _spent[clientId] = new MonthSpend(month, spent.Total.CostUsd, now);
        return budget - spent.Total.CostUsd;
    }

    private static DateTimeOffset MonthStart(DateTimeOffset at) => new(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A client's spend in the month that starts at <paramref name="Month"/>, as read at <paramref name="ReadAt"/> plus this instance's calls since.</summary>
    private sealed record MonthSpend(DateTimeOffset Month, decimal Usd, DateTimeOffset ReadAt);

    /// <summary>Fraction of the monthly budget left, 0 … 1; null without a budget.</summary>
    public async Task<double?> RemainingBudgetFractionAsync(string clientId, CancellationToken ct)
    {
        var budget = Options.MonthlyBudgetFor(clientId);
        var remaining = await RemainingBudgetAsync(clientId, ct);
        return remaining is null || budget <= 0 ? null : Math.Clamp((double)(remaining.Value / budget), 0, 1);
    }
}

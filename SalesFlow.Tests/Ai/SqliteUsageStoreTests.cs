using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Ai;

public sealed class SqliteUsageStoreTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _db.Dispose();

    private AiUsageTracker Tracker(AiOptions? options = null) =>
        new(new SqliteUsageStore(_db.Db), Options.Create(options ?? new AiOptions()), _clock, NullLogger<AiUsageTracker>.Instance);

    [Fact]
    public async Task Records_price_calls_and_sums_them_per_lead_and_per_client()
    {
        var tracker = Tracker();
        await tracker.RecordAsync(new AiCallContext("c1", "l1", AiPurpose.Reply), "gpt-4o", new() { InputTokenCount = 1000, OutputTokenCount = 100 }, 0, 0, TimeSpan.FromMilliseconds(800), true, default);
        await tracker.RecordAsync(new AiCallContext("c1", "l1", AiPurpose.Analysis), "gpt-4o-mini-2024-07-18", new() { InputTokenCount = 2000, OutputTokenCount = 200 }, 0, 0, TimeSpan.FromMilliseconds(300), true, default);
        await tracker.RecordAsync(new AiCallContext("c1", "l2", AiPurpose.Reply), "gpt-4o-mini", null, 50, 20, TimeSpan.FromMilliseconds(100), true, default);
        await tracker.RecordAsync(new AiCallContext("c2", "l9", AiPurpose.Reply), "gpt-4o", new() { InputTokenCount = 5, OutputTokenCount = 5 }, 0, 0, TimeSpan.Zero, true, default);
        var store = new SqliteUsageStore(_db.Db);

        var lead = await store.SummarizeLeadAsync("c1", "l1", default);
        Assert.Equal(2, lead.Total.Calls);
        Assert.Equal(3000, lead.Total.InputTokens);
        Assert.Equal(300, lead.Total.OutputTokens);
        // gpt-4o: 1000 × 2.50 + 100 × 10.00 per 1M; gpt-4o-mini: 2000 × 0.15 + 200 × 0.60 per 1M.
        Assert.Equal(0.0035m + 0.00042m, lead.Total.CostUsd);
        Assert.Equal(0.0035m, lead.ByModel["gpt-4o"].CostUsd);
        Assert.Equal(0.00042m, lead.ByPurpose[AiPurpose.Analysis].CostUsd);

        var client = await store.SummarizeClientAsync("c1", null, default);
        Assert.Equal(3, client.Total.Calls);
        Assert.Equal(3050, client.Total.InputTokens); // the estimate stood in where the provider reported no usage
        Assert.Equal(1, (await store.SummarizeClientAsync("c2", null, default)).Total.Calls);
        Assert.Equal(2, (await store.ListAsync("c1", "l1", 10, default)).Count);
        Assert.Empty(await store.ListAsync("c2", "l1", 10, default));
    }

    [Fact]
    public async Task Erasing_a_lead_removes_its_records_only_within_its_client()
    {
        var tracker = Tracker();
        await tracker.RecordAsync(new AiCallContext("c1", "l1", AiPurpose.Reply), "gpt-4o", new() { InputTokenCount = 1, OutputTokenCount = 1 }, 0, 0, TimeSpan.Zero, true, default);
        await tracker.RecordAsync(new AiCallContext("c2", "l1", AiPurpose.Reply), "gpt-4o", new() { InputTokenCount = 1, OutputTokenCount = 1 }, 0, 0, TimeSpan.Zero, true, default);
        var store = new SqliteUsageStore(_db.Db);

        Assert.Equal(1, await store.EraseLeadAsync("c1", "l1", default));

        Assert.Equal(0, (await store.SummarizeLeadAsync("c1", "l1", default)).Total.Calls);
        Assert.Equal(1, (await store.SummarizeLeadAsync("c2", "l1", default)).Total.Calls);
    }

    [Fact]
    public async Task The_budget_check_reads_the_store_once_per_cache_period_and_counts_this_instances_calls_at_once()
    {
        var options = new AiOptions { MonthlyBudgetUsd = 1m };
        var store = new SqliteUsageStore(_db.Db);
        var counting = new CountingUsageStore(store);
        var tracker = new AiUsageTracker(counting, Options.Create(options), _clock, NullLogger<AiUsageTracker>.Instance);
        var fiftyCents = new Microsoft.Extensions.AI.UsageDetails { InputTokenCount = 200_000, OutputTokenCount = 0 }; // gpt-4o: $0.50

        Assert.Equal(1m, await tracker.RemainingBudgetAsync("c1", default));
        await tracker.RecordAsync(new AiCallContext("c1", null, AiPurpose.Reply), "gpt-4o", fiftyCents, 0, 0, TimeSpan.Zero, true, default);
        Assert.Equal(0.5m, await tracker.RemainingBudgetAsync("c1", default));
        Assert.Equal(1, counting.Summaries);

        // Another instance spends too: seen once the cached figure is older than the cache period.
        await store.AddAsync(new AiUsageRecord("ai_other", "c1", null, "gpt-4o", AiPurpose.Reply, 200_000, 0, 0.5m, 0, true, _clock.GetUtcNow()), default);
        Assert.Equal(0.5m, await tracker.RemainingBudgetAsync("c1", default));
        _clock.Advance(AiUsageTracker.SpendCacheTime);
        Assert.Equal(0m, await tracker.RemainingBudgetAsync("c1", default));
        Assert.Equal(2, counting.Summaries);
    }

    private sealed class CountingUsageStore(IUsageStore inner) : IUsageStore
    {
        public int Summaries { get; private set; }

        public Task AddAsync(AiUsageRecord record, CancellationToken ct) => inner.AddAsync(record, ct);

        public Task<IReadOnlyList<AiUsageRecord>> ListAsync(string clientId, string? leadId, int limit, CancellationToken ct) => inner.ListAsync(clientId, leadId, limit, ct);

        public Task<UsageSummary> SummarizeLeadAsync(string clientId, string leadId, CancellationToken ct) => inner.SummarizeLeadAsync(clientId, leadId, ct);

        public Task<UsageSummary> SummarizeClientAsync(string clientId, DateTimeOffset? since, CancellationToken ct)
        {
            Summaries++;
            return inner.SummarizeClientAsync(clientId, since, ct);
        }

        public Task<UsageReport> ReportAsync(string clientId, string? leadId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) => inner.ReportAsync(clientId, leadId, from, to, ct);

        public Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct) => inner.EraseLeadAsync(clientId, leadId, ct);
    }

    [Fact]
    public async Task The_monthly_budget_counts_this_month_only()
    {
        var options = new AiOptions { MonthlyBudgetUsd = 1m, Clients = { ["rich"] = new ClientAiOptions { MonthlyBudgetUsd = 100m } } };
        var tracker = Tracker(options);
        await tracker.RecordAsync(new AiCallContext("c1", null, AiPurpose.Reply), "gpt-4o", new() { InputTokenCount = 200_000, OutputTokenCount = 0 }, 0, 0, TimeSpan.Zero, true, default); // $0.50
        Assert.Equal(0.5m, await tracker.RemainingBudgetAsync("c1", default));
        Assert.Equal(0.5, await tracker.RemainingBudgetFractionAsync("c1", default));
        Assert.Equal(100m, await tracker.RemainingBudgetAsync("rich", default));

        _clock.Advance(TimeSpan.FromDays(40));
        Assert.Equal(1m, await tracker.RemainingBudgetAsync("c1", default));
        Assert.Null(await Tracker(new AiOptions()).RemainingBudgetAsync("c1", default));
    }
}

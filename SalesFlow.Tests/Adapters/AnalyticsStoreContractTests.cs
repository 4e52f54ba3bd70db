using SalesFlow.Core.Analytics;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Privacy;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The analytics store (counters and per-lead flags), run against both adapters.</summary>
public abstract class AnalyticsStoreContractTests : IAsyncLifetime
{
    private static readonly DateOnly Day1 = new(2026, 11, 2);
    private static readonly DateOnly Day2 = new(2026, 11, 3);

    private Stores _s = null!;

    protected sealed record Stores(IAnalyticsStore Analytics, ILeadStore Leads, ILeadEraser Eraser);

    protected abstract Task<Stores> CreateAsync();

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _s = await CreateAsync();

    public Task DisposeAsync() => DisposeStoresAsync();

    private static AnalyticsRecord Lead(string clientId, string key, LeadObservation observation) => new(clientId, key, observation, []);

    private async Task<Dictionary<string, double>> TotalsAsync(string clientId, IReadOnlyCollection<string> metrics, DateOnly from, DateOnly to) =>
        (await _s.Analytics.TotalsAsync(clientId, metrics, from, to, default)).ToDictionary(t => $"{t.Metric}|{t.Dimension}", t => t.Value);

    [Fact]
    public async Task The_same_record_twice_counts_once()
    {
        var turn = Lead("acme", "turn/acme/conv_1/3", new LeadObservation("lead_1", Day1, Depth: 3, Disc: "D"));
        Assert.True(await _s.Analytics.RecordAsync(turn, default));
        Assert.False(await _s.Analytics.RecordAsync(turn, default));

        var call = new AnalyticsRecord("acme", "ai/ai_1", null, [new(Day1, AnalyticsMetrics.AiCalls, "gpt-4o-mini", 1), new(Day1, AnalyticsMetrics.AiCostUsd, "gpt-4o-mini", 0.0025)]);
        Assert.True(await _s.Analytics.RecordAsync(call, default));
        Assert.False(await _s.Analytics.RecordAsync(call, default));

        var totals = await TotalsAsync("acme", [AnalyticsMetrics.Funnel, AnalyticsMetrics.DiscLeads, AnalyticsMetrics.AiCalls, AnalyticsMetrics.AiCostUsd], Day1, Day1);
        Assert.Equal(1, totals["funnel|first_reply"]);
        Assert.Equal(1, totals["funnel|value_shown"]);
        Assert.False(totals.ContainsKey("funnel|objection_handled"));
        Assert.Equal(1, totals["disc_leads|D"]);
        Assert.Equal(1, totals["ai_calls|gpt-4o-mini"]);
        Assert.Equal(0.0025, totals["ai_cost_usd|gpt-4o-mini"], 9);
    }

    [Fact]
    public async Task A_lead_counts_once_per_step_however_often_it_gets_there_and_moves_when_its_type_or_outcome_changes()
    {
        await _s.Analytics.RecordAsync(Lead("acme", "k1", new LeadObservation("lead_1", Day1, Depth: 1, Disc: "D")), default);
        await _s.Analytics.RecordAsync(Lead("acme", "k2", new LeadObservation("lead_1", Day1, Depth: 2, Disc: "I")), default);
        await _s.Analytics.RecordAsync(Lead("acme", "k3", new LeadObservation("lead_1", Day1, Depth: 1)), default);
        await _s.Analytics.RecordAsync(Lead("acme", "k4", new LeadObservation("lead_1", Day1, Won: true)), default);
        // A later record with another cohort day keeps the lead on the day analytics first saw it.
        await _s.Analytics.RecordAsync(Lead("acme", "k5", new LeadObservation("lead_1", Day2, EscalationReason: "lead asked for a human")), default);

        var metrics = new[] { AnalyticsMetrics.Funnel, AnalyticsMetrics.DiscLeads, AnalyticsMetrics.DiscWon, AnalyticsMetrics.Conversations, AnalyticsMetrics.Escalated, AnalyticsMetrics.EscalationReason };
        var won = await TotalsAsync("acme", metrics, Day1, Day2);
        Assert.Equal(1, won["funnel|first_reply"]);
        Assert.Equal(1, won["funnel|won"]);
        Assert.Equal(0, won.GetValueOrDefault("disc_leads|D"));
        Assert.Equal(1, won["disc_leads|I"]);
        Assert.Equal(1, won["disc_won|I"]);
        Assert.Equal(1, won["conversations|"]);
        Assert.Equal(1, won["escalation_reason|lead asked for a human"]);
        Assert.Empty(await _s.Analytics.TotalsAsync("acme", metrics, Day2, Day2, default));

        await _s.Analytics.RecordAsync(Lead("acme", "k6", new LeadObservation("lead_1", Day1, Won: false)), default);
        var lost = await TotalsAsync("acme", metrics, Day1, Day1);
        Assert.Equal(0, lost.GetValueOrDefault("funnel|won"));
        Assert.Equal(0, lost.GetValueOrDefault("funnel|meeting_booked"));
        Assert.Equal(1, lost["funnel|qualified"]);
        Assert.Equal(0, lost.GetValueOrDefault("disc_won|I"));
        Assert.Equal(1, lost["disc_leads|I"]);
    }

    [Fact]
    public async Task The_leads_reply_counts_on_the_day_and_hour_of_the_message_it_answers()
    {
        var sentAt = new DateTimeOffset(2026, 11, 2, 23, 30, 0, TimeSpan.Zero);
        await _s.Analytics.RecordAsync(Lead("acme", "t1", new LeadObservation("lead_1", Day1, Depth: 1, InboundAt: sentAt.AddMinutes(-1), Outbound: new PendingOutbound(sentAt, "whatsapp", 0))), default);
        await _s.Analytics.RecordAsync(Lead("acme", "t2", new LeadObservation("lead_1", Day1, Depth: 1, InboundAt: sentAt.AddSeconds(90))), default);
        // No pending message: a second inbound is not a reply to anything.
        await _s.Analytics.RecordAsync(Lead("acme", "t3", new LeadObservation("lead_1", Day1, Depth: 1, InboundAt: sentAt.AddSeconds(200))), default);

        var totals = await TotalsAsync("acme", AnalyticsMetrics.ChannelSet, Day1, Day1);
        Assert.Equal(1, totals["sent|whatsapp|00"]);
        Assert.Equal(1, totals["replied|whatsapp|00"]);
        var bucket = LatencyBuckets.IndexOf(LatencyBuckets.ReplySeconds, 90);
        Assert.Equal(1, totals[$"reply_time_channel|whatsapp|{bucket}"]);
        Assert.Equal(1, totals[$"reply_time_hour|00|{bucket}"]);
        Assert.Equal(4, totals.Count);
        Assert.Null((await _s.Analytics.GetLeadAsync("acme", "lead_1", default))!.Pending);
    }

    [Fact]
    public async Task Totals_cover_the_days_asked_for_and_only_the_clients_own_counters()
    {
        await _s.Analytics.RecordAsync(new AnalyticsRecord("acme", "a", null, [new(Day1, AnalyticsMetrics.AiCalls, "m", 2), new(Day2, AnalyticsMetrics.AiCalls, "m", 3)]), default);
        await _s.Analytics.RecordAsync(new AnalyticsRecord("globex", "a", null, [new(Day1, AnalyticsMetrics.AiCalls, "m", 7)]), default);
        await _s.Analytics.RecordAsync(Lead("globex", "g", new LeadObservation("lead_g", Day1, Depth: 5)), default);

        Assert.Equal(2, (await TotalsAsync("acme", [AnalyticsMetrics.AiCalls], Day1, Day1))["ai_calls|m"]);
        Assert.Equal(5, (await TotalsAsync("acme", [AnalyticsMetrics.AiCalls], Day1, Day2))["ai_calls|m"]);
        Assert.Equal(7, (await TotalsAsync("globex", [AnalyticsMetrics.AiCalls], Day1, Day2))["ai_calls|m"]);
        Assert.Empty(await _s.Analytics.TotalsAsync("acme", [AnalyticsMetrics.Funnel], Day1, Day2, default));
        Assert.Empty(await _s.Analytics.TotalsAsync("acme", [AnalyticsMetrics.AiCalls], Day2.AddDays(1), Day2.AddDays(30), default));
        Assert.Null(await _s.Analytics.GetLeadAsync("acme", "lead_g", default));
    }

    [Theory]
    [InlineData("2026-01-01", "2026-12-31")]
    [InlineData("2026-01-15", "2026-03-14")]
    [InlineData("2026-01-31", "2026-02-01")]
    [InlineData("2026-02-01", "2026-02-28")]
    [InlineData("2026-02-10", "2026-02-20")]
    [InlineData("2025-12-20", "2026-04-30")]
    [InlineData("2026-03-01", "2026-03-01")]
    public async Task Any_range_sums_exactly_its_days_across_month_boundaries(string from, string to)
    {
        // One count per day, the day number as the value of a second metric: any range's sums are known exactly.
        var first = new DateOnly(2025, 12, 1);
        var deltas = Enumerable.Range(0, 160).Select(first.AddDays).SelectMany(d => new CounterDelta[] { new(d, AnalyticsMetrics.Sent, "web|10", 1), new(d, AnalyticsMetrics.Replied, "web|10", d.Day) }).ToList();
        foreach (var chunk in deltas.Chunk(40))
        {
            await _s.Analytics.RecordAsync(new AnalyticsRecord("acme", Guid.NewGuid().ToString("N"), null, chunk), default);
        }

        var (f, t) = (DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
        var inRange = deltas.Where(d => d.Day >= f && d.Day <= t).ToList();
        var totals = await TotalsAsync("acme", AnalyticsMetrics.ChannelSet, f, t);

        Assert.Equal(inRange.Where(d => d.Metric == AnalyticsMetrics.Sent).Sum(d => d.Value), totals.GetValueOrDefault("sent|web|10"));
        Assert.Equal(inRange.Where(d => d.Metric == AnalyticsMetrics.Replied).Sum(d => d.Value), totals.GetValueOrDefault("replied|web|10"));
    }

    [Fact]
    public async Task Model_names_with_separators_and_pointer_characters_come_back_as_written()
    {
        const string model = "openai/gpt~4o|mini";
        await _s.Analytics.RecordAsync(new AnalyticsRecord("acme", "x", null, [new(Day1, AnalyticsMetrics.AiCalls, AnalyticsMetrics.Dimension(model), 1)]), default);

        var total = Assert.Single(await _s.Analytics.TotalsAsync("acme", [AnalyticsMetrics.AiCalls], Day1, Day1, default));
        Assert.Equal("openai/gpt~4o/mini", total.Dimension);
    }

    [Fact]
    public async Task Erasing_the_lead_removes_its_flags_and_keeps_the_counters_which_name_no_lead()
    {
        var (lead, _) = await _s.Leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, "+4917011112222", () => new Lead { Id = Ids.New("lead"), ClientId = "acme", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow }, default);
        await _s.Analytics.RecordAsync(Lead("acme", "t", new LeadObservation(lead.Id, Day1, Depth: 2, Disc: "S")), default);
        Assert.NotNull(await _s.Analytics.GetLeadAsync("acme", lead.Id, default));

        var report = await _s.Eraser.EraseAsync("acme", lead.Id, default);

        Assert.Equal(1, report!.Removed["analytics_leads"]);
        Assert.Null(await _s.Analytics.GetLeadAsync("acme", lead.Id, default));
        var totals = await TotalsAsync("acme", [AnalyticsMetrics.Funnel, AnalyticsMetrics.DiscLeads], Day1, Day1);
        Assert.Equal(1, totals["funnel|qualified"]);
        Assert.Equal(1, totals["disc_leads|S"]);
        Assert.DoesNotContain(totals.Keys, k => k.Contains(lead.Id, StringComparison.Ordinal));
    }
}

public sealed class AnalyticsStoreContractTestsAgainstSqlite : AnalyticsStoreContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<Stores> CreateAsync() => Task.FromResult(new Stores(
        new SqliteAnalyticsStore(_temp.Db, TimeProvider.System),
        new SqliteLeadStore(_temp.Db),
        new SqliteLeadEraser(_temp.Db, new SqliteMemoryIndex(_temp.Db))));

    protected override Task DisposeStoresAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(CosmosStandInCollection.Name)]
public sealed class AnalyticsStoreContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : AnalyticsStoreContractTests
{
    private CosmosStores? _stores;

    protected override async Task<Stores> CreateAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return new Stores(new CosmosAnalyticsStore(_stores.Containers), _stores.Leads, _stores.Eraser);
    }

    protected override Task DisposeStoresAsync() => CosmosStandInFixture.DropAsync(_stores);
}

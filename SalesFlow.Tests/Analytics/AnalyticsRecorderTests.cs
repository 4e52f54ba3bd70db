using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Analytics;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;

namespace SalesFlow.Tests.Analytics;

/// <summary>What the recorder makes of events, outcomes and model calls (the store mocked).</summary>
public sealed class AnalyticsRecorderTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 20, 23, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private readonly List<AnalyticsRecord> _records = [];
    private readonly Mock<ILeadStore> _leads = new();
    private readonly AnalyticsRecorder _recorder;

    public AnalyticsRecorderTests()
    {
        var store = new Mock<IAnalyticsStore>();
        store.Setup(s => s.RecordAsync(It.IsAny<AnalyticsRecord>(), It.IsAny<CancellationToken>())).Callback<AnalyticsRecord, CancellationToken>((r, _) => _records.Add(r)).ReturnsAsync(true);
        _leads.Setup(l => l.GetAsync("acme", "lead_1", It.IsAny<CancellationToken>())).ReturnsAsync(new Lead { Id = "lead_1", ClientId = "acme", CreatedAt = Created });
        _recorder = new AnalyticsRecorder(store.Object, _leads.Object, NullLogger<AnalyticsRecorder>.Instance);
    }

    [Fact]
    public async Task A_booked_meeting_and_an_escalation_count_on_the_leads_creation_day_under_the_events_key()
    {
        var booked = new MeetingBooked("acme", "lead_1", Now, "mtg_1", "uid", Now.AddDays(1), Now.AddDays(1).AddMinutes(30), "Europe/Berlin");
        var escalated = new LeadEscalated("acme", "lead_1", Now, 7, "lead asked for a human");

        await _recorder.ReactAsync(booked, default);
        await _recorder.ReactAsync(escalated, default);
        await _recorder.ReactAsync(new LeadOptedOut("acme", "lead_1", Now, 8), default);

        Assert.Equal([booked.IdempotencyKey, escalated.IdempotencyKey], _records.Select(r => r.Key));
        Assert.All(_records, r => Assert.Equal(new DateOnly(2026, 11, 20), r.Lead!.Cohort));
        Assert.Equal(FunnelSteps.Depth(FunnelSteps.MeetingBooked), _records[0].Lead!.Depth);
        Assert.Equal("lead asked for a human", _records[1].Lead!.EscalationReason);
    }

    [Fact]
    public async Task An_event_for_an_erased_lead_records_nothing()
    {
        await _recorder.ReactAsync(new LeadEscalated("acme", "lead_gone", Now, 1, "strongly negative sentiment"), default);

        Assert.Empty(_records);
    }

    [Fact]
    public async Task An_outcome_sets_won_or_takes_it_back()
    {
        await _recorder.OutcomeSetAsync(new LeadOutcome("acme", "lead_1", LeadOutcomes.Won, 5000m, null, "api", Now), default);
        await _recorder.OutcomeSetAsync(new LeadOutcome("acme", "lead_1", LeadOutcomes.Lost, null, "budget", "hubspot", Now.AddHours(1)), default);

        Assert.Equal([true, false], _records.Select(r => r.Lead!.Won));
        Assert.Equal(2, _records.Select(r => r.Key).Distinct().Count());
    }

    [Fact]
    public async Task A_failed_model_call_counts_as_a_fallback_on_the_calls_day_and_model()
    {
        await _recorder.ModelCalledAsync(new AiUsageRecord("ai_1", "acme", "lead_1", "gpt-4o", AiPurpose.Reply, 1200, 0, 0.003m, 812, false, Now), default);

        var record = Assert.Single(_records);
        Assert.Equal("ai/ai_1", record.Key);
        Assert.Null(record.Lead);
        var counters = record.Counters.ToDictionary(c => $"{c.Metric}|{c.Dimension}", c => c.Value);
        Assert.Equal(1, counters["ai_calls|gpt-4o"]);
        Assert.Equal(1, counters["ai_failed|gpt-4o"]);
        Assert.Equal(1200, counters["ai_input_tokens|gpt-4o"]);
        Assert.False(counters.ContainsKey("ai_output_tokens|gpt-4o")); // zero: nothing to add
        Assert.Equal(1, counters[$"ai_latency|gpt-4o|{LatencyBuckets.IndexOf(LatencyBuckets.AiMilliseconds, 812)}"]);
        Assert.All(record.Counters, c => Assert.Equal(new DateOnly(2026, 12, 4), c.Day));
    }

    [Fact]
    public async Task A_store_failure_is_logged_and_not_thrown()
    {
        var store = new Mock<IAnalyticsStore>();
        store.Setup(s => s.RecordAsync(It.IsAny<AnalyticsRecord>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("disk full"));
        var recorder = new AnalyticsRecorder(store.Object, _leads.Object, NullLogger<AnalyticsRecorder>.Instance);

        await recorder.ModelCalledAsync(new AiUsageRecord("ai_2", "acme", null, "gpt-4o-mini", AiPurpose.Coach, 10, 10, 0m, 100, true, Now), default);
        await recorder.ReactAsync(new LeadEscalated("acme", "lead_1", Now, 2, "x"), default);

        store.Verify(s => s.RecordAsync(It.IsAny<AnalyticsRecord>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }
}

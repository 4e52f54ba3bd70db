using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SalesFlow.Core.Analytics;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Tests.Analytics;

/// <summary>The aggregation rules of analytics, without a store.</summary>
public sealed class AnalyticsAggregationTests
{
    private static readonly DateOnly Cohort = new(2026, 12, 1);

    [Fact]
    public void The_same_observation_twice_adds_nothing_the_second_time()
    {
        var observation = new LeadObservation("lead_1", Cohort, Depth: 3, Disc: "C", EscalationReason: "lead asked for a human");
        var (once, first) = AnalyticsAggregation.Apply("acme", null, observation);
        var (twice, second) = AnalyticsAggregation.Apply("acme", once, observation);

        Assert.Equal(once, twice);
        Assert.Empty(second);
        Assert.Equal(
            ["conversations|", "disc_leads|C", "escalated|", "escalation_reason|lead asked for a human", "funnel|first_reply", "funnel|qualified", "funnel|value_shown"],
            first.Select(d => $"{d.Metric}|{d.Dimension}").Order(StringComparer.Ordinal));
        Assert.All(first, d => Assert.Equal(Cohort, d.Day));
    }

    [Fact]
    public void A_lower_step_later_keeps_the_furthest_and_the_first_escalation_reason_stays()
    {
        var (row, _) = AnalyticsAggregation.Apply("acme", null, new LeadObservation("lead_1", Cohort, Depth: 5, EscalationReason: "strongly negative sentiment"));
        var (after, deltas) = AnalyticsAggregation.Apply("acme", row, new LeadObservation("lead_1", Cohort, Depth: 2, EscalationReason: "lead asked for a human"));

        Assert.Equal(5, after.Depth);
        Assert.Equal("strongly negative sentiment", after.EscalationReason);
        Assert.Empty(deltas);
    }

    [Fact]
    public void Won_counts_at_every_step_and_lost_afterwards_takes_only_the_won_steps_back()
    {
        var (row, _) = AnalyticsAggregation.Apply("acme", null, new LeadObservation("lead_1", Cohort, Depth: 2, Disc: "I"));
        var (won, wonDeltas) = AnalyticsAggregation.Apply("acme", row, new LeadObservation("lead_1", Cohort, Won: true));
        var (_, lostDeltas) = AnalyticsAggregation.Apply("acme", won, new LeadObservation("lead_1", Cohort, Won: false));

        Assert.Equal(
            ["disc_won|I", "funnel|meeting_booked", "funnel|objection_handled", "funnel|price_discussed", "funnel|value_shown", "funnel|won"],
            wonDeltas.Select(d => $"{d.Metric}|{d.Dimension}").Order(StringComparer.Ordinal));
        Assert.All(wonDeltas, d => Assert.Equal(1, d.Value));
        Assert.Equal(wonDeltas.Select(d => (d.Metric, d.Dimension, -d.Value)).Order(), lostDeltas.Select(d => (d.Metric, d.Dimension, d.Value)).Order());
    }

    [Fact]
    public void A_new_disc_type_moves_the_lead_from_the_old_type_to_the_new()
    {
        var (row, _) = AnalyticsAggregation.Apply("acme", null, new LeadObservation("lead_1", Cohort, Depth: 1, Disc: "D"));
        var (_, deltas) = AnalyticsAggregation.Apply("acme", row, new LeadObservation("lead_1", Cohort, Depth: 1, Disc: "S"));

        Assert.Equal([("disc_leads", "D", -1.0), ("disc_leads", "S", 1.0)], deltas.Select(d => (d.Metric, d.Dimension, d.Value)).Order());
    }

    [Fact]
    public void Turn_depth_follows_the_stages_and_the_bant_temperature()
    {
        Assert.Equal(1, AnalyticsRecorder.TurnDepth(ConversationState.InitialContact, ConversationState.InterestQualification, "cold"));
        Assert.Equal(2, AnalyticsRecorder.TurnDepth(ConversationState.InitialContact, ConversationState.InterestQualification, "warm"));
        Assert.Equal(3, AnalyticsRecorder.TurnDepth(ConversationState.InterestQualification, ConversationState.ValueProposition, "cold"));
        Assert.Equal(3, AnalyticsRecorder.TurnDepth(ConversationState.ValueProposition, ConversationState.ObjectionHandling, null));
        Assert.Equal(4, AnalyticsRecorder.TurnDepth(ConversationState.ObjectionHandling, ConversationState.ValueProposition, null));
        Assert.Equal(5, AnalyticsRecorder.TurnDepth(ConversationState.ObjectionHandling, ConversationState.PriceNegotiation, null));
        Assert.Equal(5, AnalyticsRecorder.TurnDepth(ConversationState.PriceNegotiation, ConversationState.ClosingAttempt, null));
    }

    [Fact]
    public async Task A_turns_reply_is_bucketed_by_the_hour_in_the_clients_zone_and_the_lead_by_its_creation_day()
    {
        AnalyticsRecord? recorded = null;
        var store = new Mock<IAnalyticsStore>();
        store.Setup(s => s.RecordAsync(It.IsAny<AnalyticsRecord>(), It.IsAny<CancellationToken>())).Callback<AnalyticsRecord, CancellationToken>((r, _) => recorded = r).ReturnsAsync(true);
        var recorder = new AnalyticsRecorder(store.Object, Mock.Of<ILeadStore>(), NullLogger<AnalyticsRecorder>.Instance);

        // 22:30 UTC on 1 December is 23:30 in Berlin (and 14:30 in Los Angeles).
        var now = new DateTimeOffset(2026, 12, 1, 22, 30, 0, TimeSpan.Zero);
        var lead = new Lead { Id = "lead_1", ClientId = "acme", CreatedAt = new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero) };
        var conversation = new Conversation { Id = "conv_1", ClientId = "acme", LeadId = "lead_1", State = ConversationState.ValueProposition, AnsweredThroughSeq = 4, TurnCount = 2 };
        var reply = new OutboxItem { Id = "out_1", ClientId = "acme", LeadId = "lead_1", ConversationId = "conv_1", Recipient = "+4917000000", Text = "Hi", IdempotencyKey = "k", Channel = ChannelKind.WhatsApp, Purpose = OutboxPurpose.Reply, CreatedAt = now };
        var inbound = new Message { Id = "m4", ClientId = "acme", LeadId = "lead_1", ConversationId = "conv_1", Channel = ChannelKind.WhatsApp, CreatedAt = now.AddSeconds(-2), Seq = 4 };
        var profile = LeadProfile.New("acme", "lead_1") with { Disc = new DiscProfile(0.1, 0.9, 0.1, 0.1, 3, 0.8) };
        var client = new Client("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49", "Europe/Berlin");
        var turn = new TurnResult(conversation, ConversationState.InterestQualification, new MessageAnalysis("en", Intent.Question, Sentiment.Neutral, 0, 0.9), reply, lead, client, Profile: profile);

        await recorder.ObserveAsync(turn, [inbound], default);

        Assert.NotNull(recorded);
        Assert.Equal("turn/acme/conv_1/4", recorded.Key);
        var observation = recorded.Lead!;
        Assert.Equal(new DateOnly(2026, 11, 30), observation.Cohort);
        Assert.Equal(new PendingOutbound(now, "whatsapp", 23), observation.Outbound);
        Assert.Equal(inbound.CreatedAt, observation.InboundAt);
        Assert.Equal(3, observation.Depth);
        Assert.Equal("I", observation.Disc);

        await recorder.ObserveAsync(turn with { Client = client with { TimeZone = "America/Los_Angeles" } }, [inbound], default);
        Assert.Equal(14, recorded.Lead!.Outbound!.LocalHour);
    }

    [Fact]
    public void Percentiles_come_from_the_histogram_within_one_bucket()
    {
        // 10 replies: 5 within (5, 10] s, 4 within (60, 120] s, 1 beyond a week.
        var counts = new Dictionary<int, double>
        {
            [LatencyBuckets.IndexOf(LatencyBuckets.ReplySeconds, 8)] = 5,
            [LatencyBuckets.IndexOf(LatencyBuckets.ReplySeconds, 100)] = 4,
            [LatencyBuckets.IndexOf(LatencyBuckets.ReplySeconds, 1_000_000)] = 1,
        };

        Assert.Equal(10, LatencyBuckets.Percentile(LatencyBuckets.ReplySeconds, counts, 0.5));
        var p90 = LatencyBuckets.Percentile(LatencyBuckets.ReplySeconds, counts, 0.9)!.Value;
        Assert.InRange(p90, 60, 120);
        Assert.Equal(604800, LatencyBuckets.Percentile(LatencyBuckets.ReplySeconds, counts, 1.0));
        Assert.Null(LatencyBuckets.Percentile(LatencyBuckets.ReplySeconds, new Dictionary<int, double>(), 0.5));
    }

    [Fact]
    public void The_funnel_report_gives_each_steps_conversion_from_the_step_before()
    {
        var range = new AnalyticsRange(Cohort, Cohort);
        var report = AnalyticsReports.Funnel(range, [new("funnel", "first_reply", 10), new("funnel", "qualified", 4), new("funnel", "value_shown", 1)]);

        Assert.Equal([10L, 4, 1, 0, 0, 0, 0], report.Steps.Select(s => s.Leads));
        Assert.Null(report.Steps[0].Conversion);
        Assert.Equal(0.4, report.Steps[1].Conversion);
        Assert.Equal(0.25, report.Steps[2].Conversion);
        Assert.Null(report.Steps[4].Conversion);
    }

    [Theory]
    [InlineData("yesterday", null, "from")]
    [InlineData(null, "2026-13-01", "to")]
    [InlineData("2026-12-02", "2026-12-01", "from")]
    [InlineData("2025-01-01", "2026-12-01", "to")]
    public void A_bad_range_names_its_field(string? from, string? to, string field)
    {
        var (range, named, error) = AnalyticsRange.Parse(from, to, new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

        Assert.Null(range);
        Assert.Equal(field, named);
        Assert.NotNull(error);
    }

    [Fact]
    public void The_default_range_is_the_30_days_up_to_today_and_times_select_their_utc_day()
    {
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(new AnalyticsRange(new DateOnly(2026, 11, 5), new DateOnly(2026, 12, 4)), AnalyticsRange.Parse(null, null, now).Range);
        Assert.Equal(new AnalyticsRange(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2)), AnalyticsRange.Parse("2026-12-01T23:00:00+02:00", "2026-12-02T10:00:00Z", now).Range);
    }
}

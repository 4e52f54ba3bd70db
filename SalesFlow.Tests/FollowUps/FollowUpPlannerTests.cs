using SalesFlow.Core.FollowUps;

namespace SalesFlow.Tests.FollowUps;

/// <summary>The shared follow-up decision: cadence, quiet hours in the lead's zone (DST included) and when to stop.</summary>
public sealed class FollowUpPlannerTests
{
    private const string Berlin = "Europe/Berlin";
    private const string NewYork = "America/New_York";

    private static readonly DateTimeOffset RepliedAt = At("2026-06-10T10:00:00+02:00"); // a Wednesday, 10:00 in Berlin

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static FollowUpFacts Facts(DateTimeOffset? repliedAt = null, int stepsSent = 0, DateTimeOffset? lastStepAt = null, DateTimeOffset? leadWroteAt = null, string? zone = Berlin, DateTimeOffset? checkBackAt = null) =>
        new(Cycle: "out_reply", repliedAt ?? RepliedAt, stepsSent, lastStepAt, leadWroteAt ?? (repliedAt ?? RepliedAt).AddMinutes(-5), OptedOut: false, Escalated: false, Won: false, zone, checkBackAt, ReplyClosed: false);

    private static FollowUpDecision Decide(FollowUpFacts facts, DateTimeOffset now, QuietHours? quiet = null) =>
        FollowUpPlanner.Decide(facts, FollowUpCadence.Default, quiet ?? QuietHours.Default, now);

    [Fact]
    public void The_first_step_waits_an_hour_after_the_unanswered_reply_then_is_due()
    {
        var waiting = Decide(Facts(), RepliedAt.AddMinutes(30));
        Assert.Equal(new FollowUpDecision(FollowUpAction.Wait, 0, RepliedAt.AddHours(1), "waiting"), waiting);

        var due = Decide(Facts(), RepliedAt.AddHours(1));
        Assert.Equal(FollowUpAction.Send, due.Action);
        Assert.Equal(0, due.Step);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 7)]
    public void Later_steps_follow_the_default_cadence_in_days_after_the_reply(int stepsSent, int days)
    {
        var lastStepAt = RepliedAt + FollowUpCadence.Default.Offsets[stepsSent - 1];
        var decision = Decide(Facts(stepsSent: stepsSent, lastStepAt: lastStepAt), lastStepAt);

        Assert.Equal(FollowUpAction.Wait, decision.Action);
        Assert.Equal(stepsSent, decision.Step);
        Assert.Equal(RepliedAt.AddDays(days), decision.DueAt);
    }

    [Fact]
    public void A_lead_that_asked_to_hear_from_us_next_week_gets_the_first_step_then_and_the_rest_spaced_after_it()
    {
        var asked = At("2026-06-15T10:00:00+02:00"); // the Monday after
        var first = Decide(Facts(checkBackAt: asked), RepliedAt.AddHours(1));
        Assert.Equal(new FollowUpDecision(FollowUpAction.Wait, 0, asked, "waiting"), first);

        var second = Decide(Facts(stepsSent: 1, lastStepAt: asked, checkBackAt: asked), asked);
        Assert.Equal(asked + (FollowUpCadence.Default.Offsets[1] - FollowUpCadence.Default.Offsets[0]), second.DueAt);
    }

    [Fact]
    public void A_check_back_time_sooner_than_the_cadence_s_first_step_changes_nothing()
    {
        var decision = Decide(Facts(checkBackAt: RepliedAt.AddMinutes(10)), RepliedAt);
        Assert.Equal(RepliedAt.AddHours(1), decision.DueAt);
    }

    [Fact]
    public void The_cadence_s_end_finishes()
    {
        var decision = Decide(Facts(stepsSent: 4, lastStepAt: RepliedAt.AddDays(7)), RepliedAt.AddDays(30));
        Assert.Equal((FollowUpAction.Finish, "cadence_done"), (decision.Action, decision.Reason));
    }

    [Fact]
    public void A_step_due_in_the_evening_quiet_hours_moves_to_eight_the_next_morning_local_time()
    {
        var replied = At("2026-06-10T20:30:00+02:00"); // +1 h = 21:30 Berlin, inside 21:00–08:00
        var decision = Decide(Facts(repliedAt: replied), replied);

        Assert.Equal(At("2026-06-11T08:00:00+02:00"), decision.DueAt);
    }

    [Fact]
    public void A_step_due_after_midnight_moves_to_eight_the_same_morning()
    {
        var replied = At("2026-06-10T23:30:00+02:00"); // +1 h = 00:30 Berlin on the 11th
        Assert.Equal(At("2026-06-11T08:00:00+02:00"), Decide(Facts(repliedAt: replied), replied).DueAt);
    }

    [Fact]
    public void The_same_instant_is_quiet_in_one_zone_and_not_in_another()
    {
        var replied = At("2026-06-10T20:00:00Z"); // +1 h = 21:00 UTC: 23:00 in Berlin, 17:00 in New York
        Assert.Equal(At("2026-06-11T08:00:00+02:00"), Decide(Facts(repliedAt: replied, zone: Berlin), replied).DueAt);
        Assert.Equal(replied.AddHours(1), Decide(Facts(repliedAt: replied, zone: NewYork), replied).DueAt);
    }

    [Fact]
    public void Across_the_date_line_the_local_morning_is_the_previous_utc_day()
    {
        var replied = At("2026-06-10T10:00:00Z"); // +1 h = 23:00 in Auckland (UTC+12 in June)
        Assert.Equal(At("2026-06-11T08:00:00+12:00"), Decide(Facts(repliedAt: replied, zone: "Pacific/Auckland"), replied).DueAt);
        Assert.Equal(At("2026-06-10T20:00:00Z"), At("2026-06-11T08:00:00+12:00"));
    }

    [Fact]
    public void An_unknown_time_zone_reads_the_quiet_hours_in_utc()
    {
        var replied = At("2026-06-10T20:30:00Z");
        Assert.Equal(At("2026-06-11T08:00:00Z"), Decide(Facts(repliedAt: replied, zone: "Not/AZone"), replied).DueAt);
        Assert.Equal(At("2026-06-11T08:00:00Z"), Decide(Facts(repliedAt: replied, zone: null), replied).DueAt);
    }

    [Fact]
    public void Weekends_are_skipped_to_monday_morning_when_asked()
    {
        var quiet = QuietHours.Default with { SkipWeekends = true };
        var replied = At("2026-06-12T20:30:00+02:00"); // Friday; +1 h is Friday night, then the weekend
        Assert.Equal(At("2026-06-15T08:00:00+02:00"), Decide(Facts(repliedAt: replied), replied, quiet).DueAt);
        Assert.Equal(At("2026-06-13T08:00:00+02:00"), Decide(Facts(repliedAt: replied), replied).DueAt);
    }

    [Fact]
    public void A_quiet_end_that_spring_forward_skips_moves_on_by_the_hour_it_skipped()
    {
        // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that night.
        var quiet = new QuietHours(new TimeOnly(21, 0), new TimeOnly(2, 30), SkipWeekends: false);
        var replied = At("2026-03-28T21:00:00+01:00");
        Assert.Equal(At("2026-03-29T03:30:00+02:00"), Decide(Facts(repliedAt: replied), replied, quiet).DueAt);
    }

    [Fact]
    public void A_quiet_end_that_fall_back_repeats_takes_its_first_occurrence()
    {
        // Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice; the first is 00:30 UTC.
        var quiet = new QuietHours(new TimeOnly(21, 0), new TimeOnly(2, 30), SkipWeekends: false);
        var replied = At("2026-10-24T21:00:00+02:00");
        Assert.Equal(At("2026-10-25T00:30:00Z"), Decide(Facts(repliedAt: replied), replied, quiet).DueAt);
    }

    [Fact]
    public void A_day_step_across_spring_forward_is_24_elapsed_hours_so_it_lands_an_hour_later_on_the_wall_clock()
    {
        var replied = At("2026-03-28T10:00:00+01:00");
        var decision = Decide(Facts(repliedAt: replied, stepsSent: 1, lastStepAt: replied.AddHours(1)), replied.AddHours(2));
        Assert.Equal(At("2026-03-29T11:00:00+02:00"), decision.DueAt);
    }

    [Fact]
    public void An_overdue_step_found_inside_the_quiet_hours_waits_for_the_morning()
    {
        var now = At("2026-06-10T23:00:00+02:00"); // the 10:00 reply's first step was due at 11:00 and the app was down
        var decision = Decide(Facts(), now);
        Assert.Equal((FollowUpAction.Wait, At("2026-06-11T08:00:00+02:00")), (decision.Action, decision.DueAt));
    }

    [Fact]
    public void Steps_overdue_after_a_downtime_keep_the_cadence_s_spacing_instead_of_going_out_together()
    {
        // Step 0 went out late, four days after the reply: step 1 (due at +1 day) waits the 23 h the cadence puts between them.
        var lateFirst = RepliedAt.AddDays(4);
        var decision = Decide(Facts(stepsSent: 1, lastStepAt: lateFirst), lateFirst.AddMinutes(1));
        Assert.Equal((FollowUpAction.Wait, lateFirst.AddHours(23)), (decision.Action, decision.DueAt));
    }

    [Fact]
    public void A_lead_who_wrote_back_after_the_reply_cancels_the_cycle()
    {
        var decision = Decide(Facts(leadWroteAt: RepliedAt.AddMinutes(20)), RepliedAt.AddHours(2));
        Assert.Equal((FollowUpAction.Cancel, "lead_replied"), (decision.Action, decision.Reason));
    }

    [Theory]
    [InlineData(true, false, false, "opted_out")]
    [InlineData(false, true, false, "escalated")]
    [InlineData(false, false, true, "won")]
    public void Opt_out_escalation_and_a_won_outcome_finish(bool optedOut, bool escalated, bool won, string reason)
    {
        var facts = Facts() with { OptedOut = optedOut, Escalated = escalated, Won = won };
        var decision = Decide(facts, RepliedAt.AddHours(2));
        Assert.Equal((FollowUpAction.Finish, reason), (decision.Action, decision.Reason));
    }

    /// <summary>An SEO agency's pitch was told this chat is for customer enquiries, and would have been followed up all the same.</summary>
    [Fact]
    public void A_reply_that_closed_the_conversation_is_not_followed_up()
    {
        var decision = Decide(Facts() with { ReplyClosed = true }, RepliedAt.AddHours(2));
        Assert.Equal((FollowUpAction.Finish, "closed"), (decision.Action, decision.Reason));
    }

    [Fact]
    public void The_decision_is_the_same_for_the_same_inputs()
    {
        var facts = Facts(stepsSent: 2, lastStepAt: RepliedAt.AddDays(1));
        Assert.Equal(Decide(facts, RepliedAt.AddDays(2)), Decide(facts, RepliedAt.AddDays(2)));
    }

    [Fact]
    public void The_cadence_setting_reads_iso_8601_durations_and_rejects_bad_ones()
    {
        Assert.Equal(FollowUpCadence.Default, FollowUpCadence.Parse("PT1H, P1D, P3D, P7D"));
        Assert.Equal(FollowUpCadence.Default, FollowUpCadence.Parse(null));
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], FollowUpCadence.Parse("PT2S,PT4S").Offsets);
        Assert.Throws<FormatException>(() => FollowUpCadence.Parse("1 hour"));
        Assert.Throws<ArgumentException>(() => FollowUpCadence.Parse("P1D,PT1H"));
    }
}

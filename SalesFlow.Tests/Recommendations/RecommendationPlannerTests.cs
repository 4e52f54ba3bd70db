using SalesFlow.Core.Conversations;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Recommendations;

namespace SalesFlow.Tests.Recommendations;

/// <summary>The planner, one situation per kind: what it recommends, why, and that the same situation gives the same ids.</summary>
public sealed class RecommendationPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);

    private static readonly LeadScoreResult Cold = new("cold", 20, 0.1, LeadScore.Bias, []);
    private static readonly LeadScoreResult Hot = new("hot", 80, 0.7, LeadScore.Bias, []);

    private static BantAssessment Bant(double budget = 0, double authority = 0, double need = 0, double timeline = 0) =>
        new(new BantDimension(budget, []), new BantDimension(authority, []), new BantDimension(need, []), new BantDimension(timeline, []));

    /// <summary>A lead that wrote an hour ago and got our answer: nothing urgent.</summary>
    private static PlannerInput Quiet(ConversationState state = ConversationState.InterestQualification) => new(
        "acme", "lead_1", Now, state, Bant(need: 0.4, authority: 0.4, budget: 0.4, timeline: 0.4), Cold,
        OptedOut: false, Escalated: false, EscalationReason: null, UnansweredInboundSeq: null,
        LastInboundAt: Now.AddHours(-1), LastOutboundAt: Now.AddHours(-1).AddSeconds(5),
        MeetingBooked: false, Outcome: null, Turns: 1, Window: null, SupportCaseAt: null, OpenQuestionAt: null);

    private static IReadOnlyList<string> Kinds(PlannerInput input) => [.. RecommendationPlanner.Plan(input).Select(r => r.Kind).Order()];

    [Fact]
    public void A_quiet_lead_in_qualification_with_nothing_missing_gets_nothing()
    {
        Assert.Empty(RecommendationPlanner.Plan(Quiet()));
    }

    [Fact]
    public void An_unanswered_message_is_reply_now_keyed_by_the_message()
    {
        var plan = RecommendationPlanner.Plan(Quiet() with { UnansweredInboundSeq = 7, LastOutboundAt = Now.AddHours(-2) });

        var reply = Assert.Single(plan);
        Assert.Equal((RecommendationKinds.ReplyNow, "seq:7", 85, Now), (reply.Kind, reply.Trigger, reply.BasePriority, reply.DueAt));
        Assert.Contains("no answer", reply.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escalated_lead_is_handed_to_a_human_with_its_reason_and_nothing_else_but_the_reply()
    {
        var plan = RecommendationPlanner.Plan(Quiet(ConversationState.ValueProposition) with { Escalated = true, EscalationReason = "lead asked for a human", UnansweredInboundSeq = 3, Score = Hot, Bant = Bant(need: 0.9) });

        Assert.Equal([RecommendationKinds.HandToHuman, RecommendationKinds.ReplyNow], plan.Select(r => r.Kind));
        Assert.Contains("lead asked for a human", plan[0].Reason, StringComparison.Ordinal);
        Assert.True(plan[0].BasePriority > plan[1].BasePriority);
    }

    /// <summary>A support case was told "a colleague will look into it", and nobody was told.</summary>
    [Fact]
    public void A_support_case_is_handed_to_a_person_keyed_by_when_it_was_answered()
    {
        var answered = Now.AddMinutes(-5);
        var plan = RecommendationPlanner.Plan(Quiet() with { SupportCaseAt = answered });

        var hand = Assert.Single(plan, r => r.Kind == RecommendationKinds.HandToHuman);
        Assert.Equal(("support:2026-12-04T13:55:00", 90), (hand.Trigger, hand.BasePriority));
        Assert.Contains("support case", hand.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(RecommendationPlanner.Plan(Quiet() with { SupportCaseAt = answered, Escalated = true, EscalationReason = "lead asked for a human" }), r => r.Trigger.StartsWith("support:", StringComparison.Ordinal));
    }

    /// <summary>"I'm checking the details with the team" was a promise nobody was told about.</summary>
    [Fact]
    public void A_question_left_to_the_team_asks_for_a_personal_answer_keyed_by_when_it_was_answered()
    {
        var answered = Now.AddMinutes(-5);
        var plan = RecommendationPlanner.Plan(Quiet() with { OpenQuestionAt = answered });

        var reply = Assert.Single(plan, r => r.Trigger.StartsWith("question:", StringComparison.Ordinal));
        Assert.Equal((RecommendationKinds.ReplyNow, "question:2026-12-04T13:55:00", 80), (reply.Kind, reply.Trigger, reply.BasePriority));
        Assert.Contains("knowledge base", reply.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(RecommendationPlanner.Plan(Quiet() with { OpenQuestionAt = answered, Escalated = true, EscalationReason = "lead asked for a human" }), r => r.Trigger.StartsWith("question:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_hot_lead_gets_a_call_due_when_its_window_opens()
    {
        var window = new ContactWindow("Europe/Berlin", 18, [DayOfWeek.Tuesday], 4, 6); // 17:00 UTC in December
        var call = Assert.Single(RecommendationPlanner.Plan(Quiet() with { Score = Hot, Window = window }), r => r.Kind == RecommendationKinds.Call);

        Assert.Equal(80, call.BasePriority); // 60 + health 80 / 4
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 17, 0, 0, TimeSpan.Zero), call.DueAt);
        Assert.Contains("18:00–20:00 (Europe/Berlin)", call.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hot_lead_with_a_booked_meeting_gets_no_call_but_a_proposal_once_budget_and_timeline_are_known()
    {
        var kinds = Kinds(Quiet(ConversationState.ClosingAttempt) with { Score = Hot, MeetingBooked = true, Bant = Bant(budget: 0.7, timeline: 0.6, need: 0.9, authority: 0.5) });

        Assert.Equal([RecommendationKinds.SendProposal], kinds);
    }

    [Fact]
    public void A_clear_need_at_value_proposition_is_book_meeting_keyed_by_the_stage()
    {
        var book = Assert.Single(RecommendationPlanner.Plan(Quiet(ConversationState.ValueProposition) with { Bant = Bant(need: 0.7, budget: 0.4, authority: 0.4, timeline: 0.4) }));

        Assert.Equal((RecommendationKinds.BookMeeting, "state:value_proposition"), (book.Kind, book.Trigger));
    }

    [Fact]
    public void An_objection_on_the_table_is_a_case_study()
    {
        Assert.Equal([RecommendationKinds.SendCaseStudy], Kinds(Quiet(ConversationState.ObjectionHandling)));
    }

    [Fact]
    public void BANT_gaps_after_a_few_turns_are_a_qualify_naming_them()
    {
        var qualify = Assert.Single(RecommendationPlanner.Plan(Quiet() with { Turns = 3, Bant = Bant(need: 0.6, timeline: 0.5) }));

        Assert.Equal((RecommendationKinds.Qualify, "gaps:budget+authority"), (qualify.Kind, qualify.Trigger));
        Assert.Contains("budget, authority", qualify.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(3, RecommendationKinds.FollowUp)]
    [InlineData(10, RecommendationKinds.Nurture)]
    [InlineData(45, RecommendationKinds.CloseAsLost)]
    public void Silence_after_our_message_becomes_follow_up_then_nurture_then_close_as_lost(int days, string? expected)
    {
        var input = Quiet() with { LastInboundAt = Now.AddDays(-days), LastOutboundAt = Now.AddDays(-days).AddMinutes(1) };

        Assert.Equal(expected is null ? [] : [expected], Kinds(input));
    }

    [Fact]
    public void Silence_while_the_lead_waits_for_us_is_not_a_follow_up_but_a_reply()
    {
        var input = Quiet() with { LastInboundAt = Now.AddDays(-5), LastOutboundAt = Now.AddDays(-6), UnansweredInboundSeq = 4 };

        Assert.Equal([RecommendationKinds.ReplyNow], Kinds(input));
    }

    [Fact]
    public void An_opted_out_lead_gets_none_whatever_else_holds()
    {
        var busy = Quiet(ConversationState.ObjectionHandling) with { Score = Hot, Escalated = true, UnansweredInboundSeq = 9, Turns = 5 };
        Assert.NotEmpty(RecommendationPlanner.Plan(busy));

        Assert.Empty(RecommendationPlanner.Plan(busy with { OptedOut = true }));
        Assert.Empty(RecommendationPlanner.Plan(busy with { Outcome = "won" }));
    }

    [Fact]
    public void The_same_situation_planned_later_keeps_the_same_ids()
    {
        var input = Quiet(ConversationState.ObjectionHandling) with { Score = Hot, Turns = 3 };

        var first = RecommendationPlanner.Plan(input).Select(r => r.Id);
        var again = RecommendationPlanner.Plan(input with { Now = Now.AddMinutes(20) }).Select(r => r.Id);

        Assert.Equal(first, again);
        Assert.Equal(first.Count(), first.Distinct().Count());
    }

    [Fact]
    public void Ids_are_per_client_lead_kind_and_trigger()
    {
        var id = Recommendation.IdFor("acme", "lead_1", "call", "hot");

        Assert.NotEqual(id, Recommendation.IdFor("globex", "lead_1", "call", "hot"));
        Assert.NotEqual(id, Recommendation.IdFor("acme", "lead_2", "call", "hot"));
        Assert.NotEqual(id, Recommendation.IdFor("acme", "lead_1", "follow_up", "hot"));
        Assert.Equal(id, Recommendation.IdFor("acme", "lead_1", "call", "hot"));
    }
}

using SalesFlow.Core.Conversations;
using SalesFlow.Core.Recommendations;

namespace SalesFlow.Tests.Recommendations;

/// <summary>Priority as of now: decay with age, the client's feedback per kind, expiry; and the best contact window.</summary>
public sealed class RecommendationPriorityTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);

    private static Recommendation Call(int priority = 80) => Recommendation.Create("acme", "lead_1", RecommendationKinds.Call, "hot", priority, "Hot lead", Now);

    [Fact]
    public void Priority_halves_with_each_half_life_and_never_goes_below_zero()
    {
        var call = Call(); // half-life 24 h

        Assert.Equal(80, RecommendationPriority.Of(call, FeedbackAdjustments.None, Now).Effective);
        Assert.Equal(40, RecommendationPriority.Of(call, FeedbackAdjustments.None, Now.AddHours(24)).Effective);
        Assert.Equal(20, RecommendationPriority.Of(call, FeedbackAdjustments.None, Now.AddHours(48)).Effective);
        Assert.Equal(80, RecommendationPriority.Of(call, FeedbackAdjustments.None, Now.AddHours(-5)).Effective);
    }

    [Fact]
    public void A_kind_reps_dismiss_falls_and_one_they_act_on_rises_shown_apart_from_the_base()
    {
        List<(string, string)> decisions = [.. Enumerable.Repeat((RecommendationKinds.Call, RecommendationStatuses.Dismissed), 10), .. Enumerable.Repeat((RecommendationKinds.SendProposal, RecommendationStatuses.Done), 9), (RecommendationKinds.SendProposal, RecommendationStatuses.Dismissed)];
        var feedback = FeedbackAdjustments.From(decisions);

        var call = RecommendationPriority.Of(Call(), feedback, Now);
        Assert.Equal((80, 80, -20, 60), (call.Base, call.Decayed, call.FeedbackAdjustment, call.Effective));

        var proposal = RecommendationPriority.Of(Recommendation.Create("acme", "lead_1", RecommendationKinds.SendProposal, "proposal", 75, "Send it", Now), feedback, Now);
        Assert.Equal((75, 16, 91), (proposal.Base, proposal.FeedbackAdjustment, proposal.Effective));
        Assert.Equal((9, 1), (feedback.For(RecommendationKinds.SendProposal).Positive, feedback.For(RecommendationKinds.SendProposal).Dismissed));
    }

    [Fact]
    public void A_few_decisions_move_little_and_fewer_than_three_nothing()
    {
        Assert.Equal(0, FeedbackAdjustments.Adjustment(0, 2));
        Assert.Equal(-6, FeedbackAdjustments.Adjustment(0, 3)); // all dismissed, 3 of the 10 that give full weight
        Assert.Equal(-20, FeedbackAdjustments.Adjustment(0, 40));
        Assert.Equal(0, FeedbackAdjustments.Adjustment(5, 5));
        Assert.Equal(0, FeedbackAdjustments.From([(RecommendationKinds.Call, RecommendationStatuses.Open), (RecommendationKinds.Call, RecommendationStatuses.Expired), (RecommendationKinds.Call, RecommendationStatuses.Expired)]).For(RecommendationKinds.Call).Adjustment);
    }

    [Fact]
    public void An_adjustment_cannot_push_the_priority_outside_0_to_100()
    {
        var feedback = FeedbackAdjustments.From(Enumerable.Repeat((RecommendationKinds.Call, RecommendationStatuses.Accepted), 20).Select(d => (d.Item1, d.Item2)));

        Assert.Equal(100, RecommendationPriority.Of(Call(95), feedback, Now).Effective);
    }

    [Fact]
    public void An_open_recommendation_past_its_expiry_reads_as_expired()
    {
        var reply = Recommendation.Create("acme", "lead_1", RecommendationKinds.ReplyNow, "seq:1", 85, "Answer", Now); // lives one day

        Assert.Equal(RecommendationStatuses.Open, reply.StatusAt(Now.AddHours(23)));
        Assert.Equal(RecommendationStatuses.Expired, reply.StatusAt(Now.AddHours(24)));
        Assert.False(reply.IsOpenAt(Now.AddDays(2)));
        Assert.Equal(RecommendationStatuses.Dismissed, (reply with { Status = RecommendationStatuses.Dismissed }).StatusAt(Now.AddDays(2)));
    }

    private static Message Msg(MessageDirection direction, DateTimeOffset at, long seq = 0) =>
        new() { Id = Guid.NewGuid().ToString("N"), ClientId = "acme", LeadId = "lead_1", ConversationId = "c", Direction = direction, CreatedAt = at, Seq = seq };

    [Fact]
    public void The_contact_window_is_where_the_lead_answers_fastest_in_its_own_zone()
    {
        // Berlin is UTC+1 in winter. The lead answers within minutes in the evening (19–21 local) and after two hours at 9 local.
        var monday = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        List<Message> messages =
        [
            Msg(MessageDirection.Outbound, monday.AddHours(6)), Msg(MessageDirection.Inbound, monday.AddHours(8), 1), // Mon 09:00 local, 2 h
            Msg(MessageDirection.Outbound, monday.AddHours(18)), Msg(MessageDirection.Inbound, monday.AddHours(18).AddMinutes(5), 2), // Mon 19:05, 5 min
            Msg(MessageDirection.Outbound, monday.AddDays(2).AddHours(18).AddMinutes(30)), Msg(MessageDirection.Inbound, monday.AddDays(2).AddHours(18).AddMinutes(40), 3), // Wed 19:40
            Msg(MessageDirection.Outbound, monday.AddDays(3).AddHours(19)), Msg(MessageDirection.Inbound, monday.AddDays(3).AddHours(19).AddMinutes(2), 4), // Thu 20:02
        ];

        var window = ContactWindow.From(messages, "Europe/Berlin")!;

        Assert.Equal(("Europe/Berlin", 19, 21, 4), (window.TimeZone, window.StartHour, window.EndHour, window.Samples));
        Assert.Equal(DayOfWeek.Monday, window.Days[0]);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 18, 0, 0, TimeSpan.Zero), window.NextOpening(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero)));
        var inside = new DateTimeOffset(2026, 12, 4, 18, 30, 0, TimeSpan.Zero);
        Assert.Equal(inside, window.NextOpening(inside));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 18, 0, 0, TimeSpan.Zero), window.NextOpening(new DateTimeOffset(2026, 12, 4, 21, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void One_message_is_no_habit_and_an_unknown_zone_reads_as_UTC()
    {
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        Assert.Null(ContactWindow.From([Msg(MessageDirection.Inbound, at, 1)], "Europe/Berlin"));

        var window = ContactWindow.From([Msg(MessageDirection.Inbound, at, 1), Msg(MessageDirection.Inbound, at.AddDays(1), 2)], "Mars/Olympus")!;
        Assert.Equal(("UTC", 9), (window.TimeZone, window.StartHour));
    }
}

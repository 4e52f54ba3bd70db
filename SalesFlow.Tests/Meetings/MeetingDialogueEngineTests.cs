using System.Reflection;
using Moq;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Meetings;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Meetings.MeetingTestData;

namespace SalesFlow.Tests.Meetings;

/// <summary>
/// Whole turns of the engine (rules brain, real SQLite stores) with the meeting dialogue on a mocked calendar: Anna
/// writes on WhatsApp from a German number, so her times are Berlin's.
/// </summary>
public sealed class MeetingDialogueEngineTests : IDisposable
{
    private readonly EngineTestBed _bed = new();
    private int _wamid;

    public MeetingDialogueEngineTests()
    {
        _bed.Clock.Advance(Now - _bed.Clock.GetUtcNow());
        _bed.Calendar.Setup(c => c.FindSlotsAsync(EngineTestBed.Acme, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), "Europe/Berlin", It.IsAny<CancellationToken>()))
            .ReturnsAsync((Core.Clients.Client _, DateTimeOffset from, DateTimeOffset to, string _, CancellationToken _) => Free.Where(s => s.Start >= from && s.Start < to).ToList());
        _bed.Calendar.Setup(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Core.Clients.Client _, BookingRequest r, CancellationToken _) => new BookedMeeting(MeetingProviders.CalCom, "uid-" + r.Slot.Start.ToUnixTimeSeconds(), r.Slot.Start, r.Slot.End, null));
    }

    /// <summary>What the calendar has free: the standard offer's three slots and a few more.</summary>
    private List<MeetingSlot> Free { get; set; } = [.. Offer, At(8, 14, 30), At(11, 9)];

    public void Dispose() => _bed.Dispose();

    private async Task<TurnResult> Turn(string text, IConversationStore? conversations = null)
    {
        var accepted = await _bed.Say(text, $"wamid.{++_wamid}");
        return (await _bed.Engine(conversations: conversations, meetings: _bed.MeetingDialogue()).ProcessLeadAsync("acme", accepted.LeadId, default))!;
    }

    private async Task<TurnResult> BookFirstSlot()
    {
        await Turn("Can we book a demo?");
        return await Turn("the first one works");
    }

    [Fact]
    public async Task A_lead_who_asks_for_a_demo_is_offered_real_slots_from_the_calendar()
    {
        var turn = await Turn("Can we book a demo?");

        Assert.Equal(Intent.Meeting, turn.Analysis.Intent);
        Assert.Equal("Happy to set up a demo. Would Tue 8 Dec 14:00, Wed 9 Dec 10:30 or Thu 10 Dec 16:00 work? (Times in Europe/Berlin)", turn.Reply!.Text);
        Assert.Equal(OutboxPurpose.Reply, turn.Reply.Purpose);
        Assert.Equal(Offer, (await _bed.Meetings.GetOfferAsync("acme", turn.Lead.Id, default))!.Slots);
    }

    /// <summary>"Können Sie mich zurückrufen?" and "Können wir nächste Woche mal telefonieren?" were told a demo would be set up.</summary>
    [Theory]
    [InlineData("Can someone call me back?", "Happy to give you a call. Would ")]
    [InlineData("Schade. Können Sie mich zurückrufen? 0171 2345678", "Gerne rufen wir Sie an. Passt Ihnen ")]
    [InlineData("Ok. Können wir nächste Woche mal telefonieren?", "Gerne telefonieren wir. Passt Ihnen ")]
    [InlineData("could we hop on a quick call this week?", "Happy to set up a call. Would ")]
    [InlineData("can we book a demo call?", "Happy to set up a demo. Would ")]
    public async Task A_lead_who_asks_to_be_called_is_offered_times_for_the_call(string text, string opening)
    {
        var turn = await Turn(text);

        Assert.StartsWith(opening, turn.Reply!.Text, StringComparison.Ordinal);
        Assert.NotNull(await _bed.Meetings.GetOfferAsync("acme", turn.Lead.Id, default));
    }

    [Fact]
    public async Task The_first_one_works_books_the_first_offered_slot_confirms_it_and_closes()
    {
        var turn = await BookFirstSlot();

        _bed.Calendar.Verify(c => c.BookAsync(EngineTestBed.Acme, It.Is<BookingRequest>(r => r.Slot == Offer[0] && r.Name == "Anna" && r.Phone == "+491701234567" && r.TimeZone == "Europe/Berlin"), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal("Booked: Tue 8 Dec 14:00 (Europe/Berlin).", turn.Reply!.Text);
        Assert.Equal(ConversationState.ClosingAttempt, turn.Conversation.State);
        var meeting = _bed.Meetings.All.Single();
        Assert.Equal((MeetingStatus.Booked, MeetingService.BookingKey(turn.Lead.Id, turn.Conversation.AnsweredThroughSeq)), (meeting.Status, meeting.IdempotencyKey));
        _bed.IntegrationEvents.Verify(e => e.PublishAsync(It.Is<MeetingBooked>(b => b.MeetingId == meeting.Id && b.Start == Offer[0].Start), It.IsAny<CancellationToken>()), Times.Once);
        _bed.IntegrationEvents.Verify(e => e.PublishAsync(It.Is<LeadStateChanged>(c => c.To == "closing_attempt"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_German_lead_is_offered_German_slots_and_Dienstag_passt_books_Tuesday()
    {
        var offer = await Turn("Hallo, können wir einen Termin für eine Vorführung vereinbaren?");
        var booked = await Turn("Dienstag passt");

        Assert.Equal("Gerne richte ich eine Demo ein. Passt Ihnen Di., 8. Dez. 14:00, Mi., 9. Dez. 10:30 oder Do., 10. Dez. 16:00? (Zeiten in Europe/Berlin)", offer.Reply!.Text);
        Assert.Equal("Gebucht: Di., 8. Dez. 14:00 (Europe/Berlin).", booked.Reply!.Text);
        _bed.Calendar.Verify(c => c.BookAsync(EngineTestBed.Acme, It.Is<BookingRequest>(r => r.Slot == Offer[0] && r.Language == "de"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_German_lead_on_du_is_offered_times_on_du_and_books_the_one_picked()
    {
        var offer = await Turn("Hey, kannst du mir einen Termin für eine Vorführung geben?");
        var booked = await Turn("Dienstag passt");

        Assert.Equal("Gerne richte ich eine Demo ein. Passt dir Di., 8. Dez. 14:00, Mi., 9. Dez. 10:30 oder Do., 10. Dez. 16:00? (Zeiten in Europe/Berlin)", offer.Reply!.Text);
        Assert.Equal("Gebucht: Di., 8. Dez. 14:00 (Europe/Berlin).", booked.Reply!.Text);
    }

    [Fact]
    public async Task Two_slots_on_the_named_day_are_asked_about_not_guessed()
    {
        Free = [.. TwoOnTuesday];
        await Turn("Can we book a demo?");

        var turn = await Turn("Tuesday works");

        Assert.Equal("Which one would you like: Tue 8 Dec 10:00 or Tue 8 Dec 15:00?", turn.Reply!.Text);
        _bed.Calendar.Verify(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_time_not_offered_but_free_is_booked()
    {
        await Turn("Can we book a demo?");

        var turn = await Turn("How about Friday at 9?");

        Assert.Equal("Booked: Fri 11 Dec 09:00 (Europe/Berlin).", turn.Reply!.Text);
    }

    [Fact]
    public async Task A_time_not_offered_and_not_free_gets_the_nearest_real_slots()
    {
        await Turn("Can we book a demo?");

        var turn = await Turn("how about Thursday at 11?");

        Assert.StartsWith("Sorry, that time isn't free. How about Wed 9 Dec 10:30, Thu 10 Dec 16:00 or Fri 11 Dec 09:00?", turn.Reply!.Text, StringComparison.Ordinal);
        _bed.Calendar.Verify(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>"anytime after 5pm" with a calendar that ends before: told so, not "that time isn't free".</summary>
    [Fact]
    public async Task A_window_with_nothing_free_is_told_so_and_gets_the_nearest_times()
    {
        await Turn("Can we book a demo?");

        var turn = await Turn("anytime after 5pm works");

        Assert.StartsWith("Sorry, nothing is free after 17:00 in the next days. The closest I have: ", turn.Reply!.Text, StringComparison.Ordinal);
        _bed.Calendar.Verify(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_window_on_a_named_day_is_offered_that_days_times_inside_it()
    {
        Free = [.. Offer, At(10, 14), At(10, 15), At(11, 9)];

        var turn = await Turn("Können wir Donnerstag ab 14 Uhr einen Termin für eine Demo machen?");

        Assert.Equal("Gerne! Ab 14:00 Uhr kann ich Ihnen Do., 10. Dez. 14:00, Do., 10. Dez. 15:00 oder Do., 10. Dez. 16:00 anbieten. Was passt Ihnen? (Zeiten in Europe/Berlin)", turn.Reply!.Text);
    }

    /// <summary>"3pm works" to Thursday's times meant Thursday, not today (which was taken, so other days were offered).</summary>
    [Fact]
    public async Task A_bare_time_answering_an_offer_means_the_day_offered_first()
    {
        await Turn("Can we book a demo?");

        var turn = await Turn("14:30 works for me");

        Assert.Equal("Booked: Tue 8 Dec 14:30 (Europe/Berlin).", turn.Reply!.Text);
    }

    /// <summary>"Guat, dann mach ma des" was answered "Happy to set up a demo" with times: a buyer gets the purchase's next step.</summary>
    [Fact]
    public async Task A_buyers_go_ahead_gets_the_purchase_reply_not_demo_slots()
    {
        var turn = await Turn("Great, let's do it. Where do I sign?");

        Assert.Equal(Intent.Purchase, turn.Analysis.Intent);
        Assert.Equal(ConversationState.ClosingAttempt, turn.Conversation.State);
        Assert.DoesNotContain("demo", turn.Reply!.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await _bed.Meetings.GetOfferAsync("acme", turn.Lead.Id, default));
    }

    /// <summary>"Dienstag Vormittag wäre gut" was offered Tuesday 09:00, 16:00 and 16:30.</summary>
    [Fact]
    public async Task A_day_asked_for_with_a_part_of_it_is_offered_that_parts_times()
    {
        Free = [At(8, 9), At(8, 16), At(8, 16, 30), At(9, 10, 30)];

        var turn = await Turn("Could we have a call on Tuesday afternoon?");

        Assert.Contains("Tue 8 Dec 16:00", turn.Reply!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("09:00", turn.Reply.Text, StringComparison.Ordinal);
    }

    /// <summary>"lets do a call tmrw afternoon" was offered three mornings as if they were what it asked for.</summary>
    [Fact]
    public async Task A_part_of_a_day_without_free_times_is_told_so_with_the_nearest()
    {
        Free = [At(8, 9), At(8, 9, 30), At(9, 10, 30)];

        var turn = await Turn("Could we have a call on Tuesday afternoon?");

        Assert.StartsWith("Sorry, nothing is free on Tue 8 Dec in the afternoon. The closest I have: ", turn.Reply!.Text, StringComparison.Ordinal);
        Assert.Contains("09:00", turn.Reply.Text, StringComparison.Ordinal);
        Assert.True(SlotText.IsOffer(turn.Reply.Text)); // so "the first one" picks from it
    }

    /// <summary>"I'm free Thursday or Friday afternoon" was told that Friday afternoon was taken, Thursday unmentioned.</summary>
    [Fact]
    public async Task Every_day_named_without_free_times_in_that_part_is_told_so()
    {
        Free = [At(8, 9), At(9, 9, 30), At(10, 9, 30)];

        var turn = await Turn("I'd like to set up a call. I'm free Tuesday or Wednesday afternoon.");

        Assert.StartsWith("Sorry, nothing is free on Tue 8 Dec or Wed 9 Dec in the afternoon. The closest I have: ", turn.Reply!.Text, StringComparison.Ordinal);
    }

    /// <summary>"Unsere Kunden schreiben uns oft abends und am Wochenende, da ist keiner da" was offered other times.</summary>
    [Fact]
    public async Task A_pain_told_while_slots_are_open_is_no_request_for_other_times()
    {
        await Turn("Can we book a demo?");

        var turn = await Turn("Our customers text us in the evenings and on weekends when nobody is around");

        Assert.True(!turn.Reply!.Text.Contains("Dec", StringComparison.Ordinal), turn.Reply.Text);
        Assert.Equal(Intent.Interest, turn.Analysis.Intent);
    }

    /// <summary>"Can you text me again next week?" with slots open was offered next week's slots.</summary>
    [Fact]
    public async Task A_lead_asking_to_be_written_to_next_week_while_slots_are_open_is_told_when_not_offered_slots()
    {
        await Turn("Can we book a demo?");

        var turn = await Turn("Can you text me again next week?");

        Assert.StartsWith("Of course, Anna! I'll write to you again on Mon ", turn.Reply!.Text, StringComparison.Ordinal);
        Assert.NotNull(turn.CheckBackAt);
        Assert.Empty(_bed.Meetings.All);
    }

    [Fact]
    public async Task None_of_these_gets_other_slots()
    {
        await Turn("Can we book a demo?");

        var turn = await Turn("none of these work for me");

        Assert.StartsWith("How about Tue 8 Dec 14:30 or Fri 11 Dec 09:00?", turn.Reply!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lead_who_cancels_has_the_meeting_cancelled_and_told()
    {
        await BookFirstSlot();

        var turn = await Turn("Sorry, please cancel the meeting");

        Assert.Equal("Your meeting on Tue 8 Dec 14:00 is cancelled. Just let me know if you'd like a new time.", turn.Reply!.Text);
        Assert.Equal(MeetingStatus.Cancelled, _bed.Meetings.All.Single().Status);
        _bed.Calendar.Verify(c => c.CancelAsync(EngineTestBed.Acme, It.Is<Meeting>(m => m.ExternalId != null), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        _bed.IntegrationEvents.Verify(e => e.PublishAsync(It.IsAny<MeetingCancelled>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>"cancel my demo please" with nothing booked was offered demo slots.</summary>
    [Fact]
    public async Task A_lead_cancelling_with_nothing_booked_is_told_there_is_no_meeting_not_offered_one()
    {
        var turn = await Turn("cancel my demo please");

        Assert.Equal("I can't find a booked meeting for you. Would you like to set one up?", turn.Reply!.Text);
        Assert.Null(await _bed.Meetings.GetOfferAsync("acme", turn.Lead.Id, default));
        Assert.Empty(_bed.Meetings.All);
    }

    /// <summary>"actually can we make it 3pm instead" (booked for Thursday) was moved to Monday 15:00.</summary>
    [Fact]
    public async Task A_time_alone_moves_a_booked_meeting_on_its_own_day()
    {
        Free = [.. Offer, At(4, 15), At(7, 15), At(10, 15)];
        _bed.Calendar.Setup(c => c.RescheduleAsync(EngineTestBed.Acme, It.IsAny<Meeting>(), It.IsAny<MeetingSlot>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Core.Clients.Client _, Meeting _, MeetingSlot s, string _, CancellationToken _) => new BookedMeeting(MeetingProviders.CalCom, "uid-moved", s.Start, s.End, null));
        var booked = await Turn("Hi! Can I book a demo for Thursday at 4pm?");

        var moved = await Turn("actually can we make it 3pm instead");

        Assert.Equal("Booked: Thu 10 Dec 16:00 (Europe/Berlin).", booked.Reply!.Text);
        Assert.Equal(At(10, 15).Start, _bed.Meetings.All.Single().Start);
        Assert.Contains("Thu 10 Dec 15:00", moved.Reply!.Text, StringComparison.Ordinal);
    }

    /// <summary>"actually can we push it to friday same time?" was offered Friday's first times, not its own hour.</summary>
    [Fact]
    public async Task A_move_to_another_day_at_the_same_time_keeps_the_meetings_hour()
    {
        Free = [.. Offer, At(10, 16), At(11, 9), At(11, 16)];
        _bed.Calendar.Setup(c => c.RescheduleAsync(EngineTestBed.Acme, It.IsAny<Meeting>(), It.IsAny<MeetingSlot>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Core.Clients.Client _, Meeting _, MeetingSlot s, string _, CancellationToken _) => new BookedMeeting(MeetingProviders.CalCom, "uid-moved", s.Start, s.End, null));
        await Turn("Hi! Can I book a demo for Thursday at 4pm?");

        var moved = await Turn("actually can we push it to friday same time?");

        Assert.Contains("Fri 11 Dec 16:00", moved.Reply!.Text, StringComparison.Ordinal);
        Assert.Equal(At(11, 16).Start, _bed.Meetings.All.Single().Start);
    }

    /// <summary>"Great, I'll discuss with the partners and get back to you next week" beside offered times was offered next week's.</summary>
    [Fact]
    public async Task A_lead_who_will_get_back_next_week_is_not_offered_next_weeks_times()
    {
        await Turn("Can we book a demo?");

        var turn = await Turn("Great, I'll discuss with the partners and get back to you next week");

        Assert.DoesNotContain("How about", turn.Reply?.Text ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(_bed.Meetings.All);
    }

    /// <summary>"the first one" right after its pick was booked was answered from the knowledge base.</summary>
    [Fact]
    public async Task A_pick_by_position_after_the_booking_is_told_the_booking_stands()
    {
        await BookFirstSlot();

        var again = await Turn("the first one");

        Assert.StartsWith("You're already booked for Tue 8 Dec 14:00", again.Reply!.Text, StringComparison.Ordinal);
        Assert.Single(_bed.Meetings.All);
    }

    [Fact]
    public async Task A_German_lead_who_wants_to_move_is_offered_new_times_and_moved_to_the_pick()
    {
        await Turn("Können wir einen Termin für eine Demo machen?");
        await Turn("Dienstag passt");
        _bed.Calendar.Setup(c => c.RescheduleAsync(EngineTestBed.Acme, It.IsAny<Meeting>(), It.IsAny<MeetingSlot>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Core.Clients.Client _, Meeting _, MeetingSlot s, string _, CancellationToken _) => new BookedMeeting(MeetingProviders.CalCom, "uid-moved", s.Start, s.End, null));

        var asked = await Turn("Können wir den Termin verschieben?");
        var offered = (await _bed.Meetings.GetOfferAsync("acme", asked.Lead.Id, default))!.Slots;
        var moved = await Turn("Den zweiten bitte");

        Assert.StartsWith("Kein Problem. Passt Ihnen stattdessen", asked.Reply!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Di., 8. Dez. 14:00,", asked.Reply.Text, StringComparison.Ordinal);
        _bed.Calendar.Verify(c => c.RescheduleAsync(EngineTestBed.Acme, It.IsAny<Meeting>(), offered[1], It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.StartsWith("Gebucht: ", moved.Reply!.Text, StringComparison.Ordinal);
        Assert.Equal(("uid-moved", offered[1].Start), (_bed.Meetings.All.Single().ExternalId, _bed.Meetings.All.Single().Start));
    }

    [Fact]
    public async Task A_calendar_that_is_down_gets_an_honest_reply_without_times()
    {
        _bed.Calendar.Setup(c => c.FindSlotsAsync(EngineTestBed.Acme, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new SchedulingException("Cal.com 503", permanent: false));

        var turn = await Turn("Can we book a demo?");

        Assert.Equal(SlotText.CalendarDown("en"), turn.Reply!.Text);
        Assert.DoesNotMatch(@"\d{1,2}:\d{2}", turn.Reply.Text);
    }

    [Fact]
    public async Task A_calendar_with_no_free_times_says_so_and_offers_a_call()
    {
        Free = [];

        var turn = await Turn("Can we book a demo?");

        Assert.Equal(SlotText.NoSlots("en"), turn.Reply!.Text);
    }

    [Fact]
    public async Task A_booking_the_calendar_cannot_confirm_yet_is_not_claimed_as_booked()
    {
        await Turn("Can we book a demo?");
        _bed.Calendar.Setup(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new SchedulingException("timeout", permanent: false));

        var turn = await Turn("the first one works");

        Assert.StartsWith("I'm confirming Tue 8 Dec 14:00", turn.Reply!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Booked", turn.Reply.Text, StringComparison.Ordinal);
        Assert.NotEqual(ConversationState.ClosingAttempt, turn.Conversation.State);
        Assert.Equal(MeetingStatus.Requested, _bed.Meetings.All.Single().Status);
    }

    [Fact]
    public async Task A_booking_left_pending_is_settled_and_confirmed_on_the_next_turn()
    {
        await Turn("Can we book a demo?");
        _bed.Calendar.Setup(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new SchedulingException("timeout", permanent: false));
        await Turn("the first one works");
        _bed.Calendar.Setup(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Core.Clients.Client _, BookingRequest r, CancellationToken _) => new BookedMeeting(MeetingProviders.CalCom, "uid-late", r.Slot.Start, r.Slot.End, null));

        var turn = await Turn("Thanks!");

        Assert.Equal("Booked: Tue 8 Dec 14:00 (Europe/Berlin).", turn.Reply!.Text);
        Assert.Equal(ConversationState.ClosingAttempt, turn.Conversation.State);
        Assert.Equal((MeetingStatus.Booked, "uid-late"), (_bed.Meetings.All.Single().Status, _bed.Meetings.All.Single().ExternalId));
        _bed.Calendar.Verify(c => c.FindBookingAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_booking_still_pending_can_be_cancelled()
    {
        await Turn("Can we book a demo?");
        _bed.Calendar.Setup(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new SchedulingException("timeout", permanent: false));
        await Turn("the first one works");

        var turn = await Turn("Actually please cancel the meeting");

        Assert.StartsWith("Your meeting on Tue 8 Dec 14:00 is cancelled.", turn.Reply!.Text, StringComparison.Ordinal);
        Assert.Equal(MeetingStatus.Cancelled, _bed.Meetings.All.Single().Status);
    }

    [Fact]
    public async Task A_slot_taken_meanwhile_gets_new_times_offered()
    {
        await Turn("Can we book a demo?");
        _bed.Calendar.Setup(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new SchedulingException("slot no longer available", permanent: true));

        var turn = await Turn("the first one works");

        Assert.StartsWith("Sorry, that time was just taken. How about", turn.Reply!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Tue 8 Dec 14:00,", turn.Reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_turn_that_crashed_at_its_commit_after_booking_books_once_when_run_again()
    {
        await Turn("Can we book a demo?");
        var accepted = await _bed.Say("the first one works", "wamid.pick");
        var crashing = CrashOnReplace.Wrap(_bed.Conversations);
        await Assert.ThrowsAsync<IOException>(() => _bed.Engine(conversations: crashing, meetings: _bed.MeetingDialogue()).ProcessLeadAsync("acme", accepted.LeadId, default));

        var rerun = await _bed.Engine(meetings: _bed.MeetingDialogue()).ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal("Booked: Tue 8 Dec 14:00 (Europe/Berlin).", rerun!.Reply!.Text);
        Assert.Equal(ConversationState.ClosingAttempt, rerun.Conversation.State);
        Assert.Single(_bed.Meetings.All);
        _bed.Calendar.Verify(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task An_escalated_lead_is_not_offered_slots()
    {
        var first = await Turn("Hi");
        var lead = (await _bed.Leads.GetAsync("acme", first.Lead.Id, default))!;
        await _bed.Leads.ReplaceAsync(lead.Escalate("rep took over", Now), default);

        var turn = await Turn("Can we book a demo?");

        Assert.Null(turn.Reply);
        _bed.Calendar.Verify(c => c.FindSlotsAsync(It.IsAny<Core.Clients.Client>(), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_message_about_something_else_gets_the_normal_reply_while_an_offer_is_open()
    {
        await Turn("Can we book a demo?");

        var turn = await Turn("What does it cost per user?");

        Assert.DoesNotContain("Booked", turn.Reply!.Text, StringComparison.Ordinal);
        Assert.NotNull(await _bed.Meetings.GetOfferAsync("acme", turn.Lead.Id, default));
        _bed.Calendar.Verify(c => c.BookAsync(EngineTestBed.Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>The conversation store with its commit (the ETag-guarded replace) failing: everything before it has happened.</summary>
    public class CrashOnReplace : DispatchProxy
    {
        private IConversationStore _inner = null!;

        public static IConversationStore Wrap(IConversationStore inner)
        {
            var proxy = Create<IConversationStore, CrashOnReplace>();
            ((CrashOnReplace)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IConversationStore.ReplaceAsync)
                ? Task.FromException<Conversation>(new IOException("power cut"))
                : targetMethod.Invoke(_inner, args);
    }
}

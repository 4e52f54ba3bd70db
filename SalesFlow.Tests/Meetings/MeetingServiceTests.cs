using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Meetings.MeetingTestData;

namespace SalesFlow.Tests.Meetings;

/// <summary>The meeting service on a mocked calendar, the in-memory meeting store and the real SQLite outbox.</summary>
public sealed class MeetingServiceTests : IDisposable
{
    private static readonly Client Acme = EngineTestBed.Acme;
    private static readonly MeetingParty Anna = new("Anna Schmidt", "anna@example.com", "anna@example.com", "+491701234567", "Europe/Berlin", "en");
    private static readonly BookedMeeting Booked = new(MeetingProviders.CalCom, "uid-1", At(8, 14).Start, At(8, 14).End, "https://cal.example/v/1");

    private readonly TempDatabase _temp = new();
    private readonly Mock<IMeetingScheduler> _calendar = new();
    private readonly InMemoryMeetingStore _store = new();
    private readonly Mock<IIntegrationEvents> _events = new();
    private readonly SqliteOutboxStore _outbox;
    private readonly MeetingService _service;

    public MeetingServiceTests()
    {
        _outbox = new SqliteOutboxStore(_temp.Db);
        _service = new MeetingService(_calendar.Object, _store, _outbox, _events.Object, new ManualClock(Now), NullLogger<MeetingService>.Instance);
    }

    public void Dispose() => _temp.Dispose();

    private void FreeSlots(params MeetingSlot[] slots) =>
        _calendar.Setup(c => c.FindSlotsAsync(Acme, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), "Europe/Berlin", It.IsAny<CancellationToken>())).ReturnsAsync(slots);

    private Task<BookingOutcome> Book(long seq = 7) => _service.BookAsync(Acme, Anna, "lead1", At(8, 14), seq, "conv1", default);

    private Task<IReadOnlyList<OutboxItem>> Emails() => _outbox.ListAsync("acme", "lead1", null, 50, default);

    [Fact]
    public async Task An_offer_takes_two_or_three_real_slots_at_least_two_hours_ahead_within_a_week_and_is_saved()
    {
        FreeSlots(At(8, 9), At(8, 9, 30), At(9, 15), At(10, 10));

        var offer = await _service.OfferAsync(Acme, Anna, "lead1", 3, null, [], default);

        Assert.Equal([At(8, 9), At(9, 15), At(10, 10)], offer!.Slots);
        Assert.Equal(offer, await _store.GetOfferAsync("acme", "lead1", default));
        Assert.Equal(3, offer.ThroughSeq);
        _calendar.Verify(c => c.FindSlotsAsync(Acme, Now + MeetingService.MinLead, Now + MeetingService.MinLead + TimeSpan.FromDays(7), "Europe/Berlin", It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task A_calendar_with_no_free_slots_gives_no_offer()
    {
        FreeSlots();

        Assert.Null(await _service.OfferAsync(Acme, Anna, "lead1", 3, null, [], default));
        Assert.Null(await _store.GetOfferAsync("acme", "lead1", default));
    }

    [Fact]
    public async Task A_rerun_of_the_offering_turn_gets_the_saved_offer_not_new_slots()
    {
        FreeSlots(At(8, 9), At(9, 15));
        var first = await _service.OfferAsync(Acme, Anna, "lead1", 3, null, [], default);
        FreeSlots(At(10, 9));

        var again = await _service.OfferAsync(Acme, Anna, "lead1", 3, null, [], default);

        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Slots_turned_down_are_not_offered_again()
    {
        FreeSlots(At(8, 9), At(9, 15), At(10, 10));

        var offer = await _service.OfferAsync(Acme, Anna, "lead1", 4, null, [At(8, 9).Start], default);

        Assert.DoesNotContain(At(8, 9), offer!.Slots);
    }

    [Fact]
    public async Task A_booking_is_stored_as_requested_with_its_key_before_the_calendar_is_asked()
    {
        Meeting? seen = null;
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()))
            .Callback(() => seen = _store.All.Single())
            .ReturnsAsync(Booked);

        await Book();

        Assert.Equal(MeetingStatus.Requested, seen!.Status);
        Assert.Equal("book/lead1/7", seen.IdempotencyKey);
        _calendar.Verify(c => c.BookAsync(Acme, It.Is<BookingRequest>(r => r.IdempotencyKey == "book/lead1/7" && r.Name == "Anna Schmidt" && r.Email == "anna@example.com" && r.Phone == "+491701234567" && r.TimeZone == "Europe/Berlin" && r.Language == "en" && r.Slot == At(8, 14)), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task A_booking_is_recorded_published_and_confirmed_by_email()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Booked);
        await _store.SaveOfferAsync(new SlotOffer("acme", "lead1", Offer, "Europe/Berlin", "en", Now, 5), default);

        var outcome = await Book();

        Assert.Equal(BookingStatus.Booked, outcome.Status);
        var meeting = _store.All.Single();
        Assert.Equal((MeetingStatus.Booked, "uid-1", MeetingProviders.CalCom, "https://cal.example/v/1"), (meeting.Status, meeting.ExternalId, meeting.Provider, meeting.Location));
        Assert.Null(await _store.GetOfferAsync("acme", "lead1", default));
        _events.Verify(e => e.PublishAsync(It.Is<MeetingBooked>(b => b.MeetingId == meeting.Id && b.ExternalId == "uid-1" && b.Start == At(8, 14).Start && b.TimeZone == "Europe/Berlin"), It.IsAny<CancellationToken>()), Times.Once);
        var email = Assert.Single(await Emails());
        Assert.Equal((ChannelKind.Email, "anna@example.com", OutboxPurpose.MeetingConfirmation, "conv1"), (email.Channel, email.Recipient, email.Purpose, email.ConversationId));
        Assert.Equal($"meeting-confirmation:{meeting.Id}:{At(8, 14).Start.ToUnixTimeSeconds()}", email.IdempotencyKey);
        Assert.Contains("Tue 8 Dec 14:00", email.Text, StringComparison.Ordinal);
        Assert.True(outcome.EmailSent);
    }

    [Fact]
    public async Task A_run_that_died_after_the_calendar_booked_is_reconciled_on_rerun_and_books_once()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Booked);
        _store.BeforeReplace = _ => throw new IOException("process died");
        await Assert.ThrowsAsync<IOException>(() => Book());
        Assert.Equal(MeetingStatus.Requested, _store.All.Single().Status);

        _store.BeforeReplace = null;
        _calendar.Setup(c => c.FindBookingAsync(Acme, It.Is<BookingRequest>(r => r.IdempotencyKey == "book/lead1/7"), It.IsAny<CancellationToken>())).ReturnsAsync(Booked);
        var outcome = await Book();

        Assert.Equal(BookingStatus.Booked, outcome.Status);
        Assert.Equal("uid-1", _store.All.Single().ExternalId);
        _calendar.Verify(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_run_that_died_before_the_calendar_booked_books_on_rerun_after_asking()
    {
        _calendar.SetupSequence(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OperationCanceledException("host stopping"))
            .ReturnsAsync(Booked);
        await Assert.ThrowsAsync<OperationCanceledException>(() => Book());

        var outcome = await Book();

        Assert.Equal(BookingStatus.Booked, outcome.Status);
        _calendar.Verify(c => c.FindBookingAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Once);
        _calendar.Verify(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task The_same_turn_twice_books_once_and_writes_one_confirmation()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Booked);

        await Book();
        var again = await Book();

        Assert.Equal(BookingStatus.Booked, again.Status);
        Assert.Single(_store.All);
        Assert.Single(await Emails());
        _calendar.Verify(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Once);
        _calendar.Verify(c => c.FindBookingAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_permanent_refusal_fails_the_meeting_with_the_reason()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new SchedulingException("slot taken", permanent: true));

        var outcome = await Book();

        Assert.Equal(BookingStatus.Refused, outcome.Status);
        Assert.Equal((MeetingStatus.Failed, "slot taken"), (_store.All.Single().Status, _store.All.Single().Error));
        _events.Verify(e => e.PublishAsync(It.IsAny<IntegrationEvent>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(await Emails());
    }

    [Fact]
    public async Task A_calendar_that_cannot_be_reached_leaves_the_meeting_requested_and_confirms_nothing()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new SchedulingException("503", permanent: false));

        var outcome = await Book();

        Assert.Equal(BookingStatus.Pending, outcome.Status);
        Assert.Equal(MeetingStatus.Requested, _store.All.Single().Status);
        _events.Verify(e => e.PublishAsync(It.IsAny<IntegrationEvent>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(await Emails());
    }

    [Fact]
    public async Task An_address_only_typed_in_chat_is_the_attendee_but_gets_no_confirmation_email()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Booked);

        var outcome = await _service.BookAsync(Acme, Anna with { Email = "typed@example.com", ConfirmTo = null }, "lead1", At(8, 14), 7, "conv1", default);

        Assert.False(outcome.EmailSent);
        Assert.Empty(await Emails());
        _calendar.Verify(c => c.BookAsync(Acme, It.Is<BookingRequest>(r => r.Email == "typed@example.com"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Cancelling_cancels_in_the_calendar_then_records_and_publishes_it()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Booked);
        var booked = (await Book()).Meeting;

        var cancelled = await _service.CancelAsync(Acme, booked, "lead cancelled", default);

        Assert.Equal(MeetingStatus.Cancelled, cancelled.Status);
        _calendar.Verify(c => c.CancelAsync(Acme, It.Is<Meeting>(m => m.ExternalId == "uid-1"), "lead cancelled", It.IsAny<CancellationToken>()));
        _events.Verify(e => e.PublishAsync(It.Is<MeetingCancelled>(c => c.MeetingId == booked.Id && c.Reason == "lead cancelled"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Cancelling_a_meeting_still_requested_cancels_what_the_calendar_holds_for_it()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(new SchedulingException("timeout", permanent: false));
        var requested = (await Book()).Meeting;
        _calendar.Setup(c => c.FindBookingAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Booked);

        var cancelled = await _service.CancelAsync(Acme, requested, "lead cancelled", default);

        Assert.Equal((MeetingStatus.Cancelled, "uid-1"), (cancelled.Status, cancelled.ExternalId));
        _calendar.Verify(c => c.CancelAsync(Acme, It.Is<Meeting>(m => m.ExternalId == "uid-1"), "lead cancelled", It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Moving_records_the_new_booking_publishes_it_and_confirms_the_new_time()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Booked);
        var booked = (await Book()).Meeting;
        var moved = new BookedMeeting(MeetingProviders.CalCom, "uid-2", At(10, 16).Start, At(10, 16).End, null);
        _calendar.Setup(c => c.RescheduleAsync(Acme, It.Is<Meeting>(m => m.ExternalId == "uid-1"), At(10, 16), It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(moved);

        var outcome = await _service.RescheduleAsync(Acme, Anna, booked, At(10, 16), "lead moved it", "conv1", default);

        Assert.Equal(BookingStatus.Booked, outcome.Status);
        Assert.Equal(("uid-2", At(10, 16).Start, "https://cal.example/v/1"), (outcome.Meeting.ExternalId, outcome.Meeting.Start, outcome.Meeting.Location));
        _events.Verify(e => e.PublishAsync(It.Is<MeetingBooked>(b => b.ExternalId == "uid-2" && b.Start == At(10, 16).Start), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(2, (await Emails()).Count);
    }

    [Fact]
    public async Task A_move_refused_because_an_earlier_run_already_made_it_is_recorded_from_the_calendar()
    {
        _calendar.Setup(c => c.BookAsync(Acme, It.IsAny<BookingRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Booked);
        var booked = (await Book()).Meeting;
        var moved = new BookedMeeting(MeetingProviders.CalCom, "uid-2", At(10, 16).Start, At(10, 16).End, null);
        _calendar.Setup(c => c.RescheduleAsync(Acme, It.IsAny<Meeting>(), At(10, 16), It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new SchedulingException("booking already rescheduled", true));
        _calendar.Setup(c => c.FindBookingAsync(Acme, It.Is<BookingRequest>(r => r.Slot == At(10, 16)), It.IsAny<CancellationToken>())).ReturnsAsync(moved);

        var outcome = await _service.RescheduleAsync(Acme, Anna, booked, At(10, 16), "lead moved it", "conv1", default);

        Assert.Equal((BookingStatus.Booked, "uid-2"), (outcome.Status, outcome.Meeting.ExternalId));
    }

    [Fact]
    public async Task A_requested_time_that_is_free_is_returned_for_booking()
    {
        FreeSlots(At(10, 11), At(10, 11, 30));

        var (free, alternatives, _) = await _service.CheckRequestedAsync(Acme, Anna, "lead1", 8, new DateOnly(2026, 12, 10), [], new TimeOnly(11, 0), TimeBound.At, null, default);

        Assert.Equal(At(10, 11), free);
        Assert.Null(alternatives);
    }

    [Fact]
    public async Task A_requested_time_that_is_taken_gets_the_nearest_free_times_offered()
    {
        FreeSlots(At(8, 9), At(10, 10), At(10, 13), At(11, 9), At(14, 9));

        var (free, alternatives, _) = await _service.CheckRequestedAsync(Acme, Anna, "lead1", 8, new DateOnly(2026, 12, 10), [], new TimeOnly(11, 0), TimeBound.At, null, default);

        Assert.Null(free);
        Assert.Equal([At(10, 10), At(10, 13), At(11, 9)], alternatives!.Slots);
        Assert.Equal(alternatives, await _store.GetOfferAsync("acme", "lead1", default));
    }

    /// <summary>"Dienstag oder Mittwoch vormittag" was offered Wednesday's times only.</summary>
    [Fact]
    public async Task One_of_several_days_named_gets_times_on_each_of_them()
    {
        FreeSlots(At(8, 9), At(8, 14), At(9, 9), At(9, 10), At(9, 11), At(10, 9));

        var (free, alternatives, fits) = await _service.CheckRequestedAsync(Acme, Anna, "lead1", 8, new DateOnly(2026, 12, 9), [new DateOnly(2026, 12, 8)], null, TimeBound.At, DayPart.Morning, default);

        Assert.Null(free);
        Assert.True(fits);
        Assert.Equal([At(8, 9), At(9, 9), At(9, 11)], alternatives!.Slots);
    }

    [Fact]
    public async Task A_window_named_gets_its_free_times_with_the_named_day_first()
    {
        FreeSlots(At(10, 9), At(10, 10), At(10, 14), At(11, 9), At(11, 15), At(14, 11));

        var (free, alternatives, fits) = await _service.CheckRequestedAsync(Acme, Anna, "lead1", 8, new DateOnly(2026, 12, 10), [], new TimeOnly(10, 0), TimeBound.NotBefore, null, default);

        Assert.Null(free);
        Assert.True(fits);
        Assert.Equal([At(10, 10), At(10, 14)], alternatives!.Slots);
    }

    [Fact]
    public async Task A_window_with_nothing_free_gets_the_nearest_times_and_says_they_miss_it()
    {
        FreeSlots(At(10, 9), At(10, 9, 30), At(11, 9));

        var (free, alternatives, fits) = await _service.CheckRequestedAsync(Acme, Anna, "lead1", 8, new DateOnly(2026, 12, 10), [], new TimeOnly(12, 0), TimeBound.NotBefore, null, default);

        Assert.Null(free);
        Assert.False(fits);
        Assert.Equal([At(10, 9), At(10, 9, 30), At(11, 9)], alternatives!.Slots);
    }

    [Fact]
    public async Task The_attendee_is_the_lead_or_a_guest_in_the_leads_zone_with_only_a_proven_address_confirmed()
    {
        var leads = new Mock<ILeadStore>();
        leads.Setup(l => l.ListEmailClaimsAsync("acme", "lead1", It.IsAny<CancellationToken>())).ReturnsAsync(
            [new EmailClaim { ClientId = "acme", LeadId = "lead1", Address = "typed@example.com", Id = "c1", Code = "123456", Token = "t" }]);
        var lead = new Lead { Id = "lead1", ClientId = "acme", Phone = "+491701234567", Language = "de" };

        var party = await MeetingParty.ForAsync(leads.Object, Acme, lead, null, default);

        Assert.Equal(new MeetingParty("Guest", "typed@example.com", null, "+491701234567", "Europe/Berlin", "de"), party);
        var named = await MeetingParty.ForAsync(leads.Object, Acme, lead with { Name = "Anna Schmidt", Email = "anna@example.com", TimeZone = "America/Chicago" }, "en", default);
        Assert.Equal(new MeetingParty("Anna Schmidt", "anna@example.com", "anna@example.com", "+491701234567", "America/Chicago", "en"), named);
    }
}

using Microsoft.Extensions.Logging;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Meetings;

/// <summary>What the meeting side of a turn needs to know.</summary>
/// <param name="Lead">The lead as the turn left it.</param>
/// <param name="Answered">The newest message the turn answers: its seq keys the booking.</param>
/// <param name="Text">What the lead wrote this turn.</param>
/// <param name="From">The conversation's state before the turn; <paramref name="To"/> where the turn moves it.</param>
public sealed record MeetingTurnContext(Client Client, Lead Lead, Message Answered, string Text, MessageAnalysis Analysis, ConversationState From, ConversationState To);

/// <summary>The reply the meeting side wrote for the turn; <see cref="Booked"/> moves the conversation to a closing attempt.</summary>
public sealed record MeetingTurn(string Text, bool Booked);

/// <summary>
/// The meeting side of a conversation turn, asked before the normal reply: a pick from the open offer books it, a
/// cancel or move changes the active meeting, a wish for a meeting (or a turn into the closing attempt) gets real
/// slots offered. Null when the message is about none of that and the normal reply answers it. Times come only from
/// the calendar: when it fails the reply says so, never an invented time.
/// </summary>
public sealed class MeetingDialogue(MeetingService meetings, IMeetingStore store, ILeadStore leads, TimeProvider clock, ILogger<MeetingDialogue> logger)
{
    public async Task<MeetingTurn?> TryHandleAsync(MeetingTurnContext turn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var (client, lead, answered) = (turn.Client, turn.Lead, turn.Answered);
        var party = await MeetingParty.ForAsync(leads, client, lead, turn.Analysis.Language, ct);
        var all = await store.ListForLeadAsync(client.Id, lead.Id, ct);

        // A re-run of this very turn (a crash, a lost race): finish the booking it started, never a second one.
        var key = MeetingService.BookingKey(lead.Id, answered.Seq);
        if (all.FirstOrDefault(m => m.IdempotencyKey == key) is { } started)
        {
            return await ReplyToAsync(turn, party, await meetings.CompleteAsync(client, party, started, reconcile: true, answered.ConversationId, ct), ct);
        }

        // A booking an earlier turn left requested (the calendar was down): settle it now.
        BookingOutcome? settled = null;
        var waitingAny = false;
        foreach (var waiting in all.Where(m => m.Status == MeetingStatus.Requested))
        {
            waitingAny = true;
            var outcome = await meetings.CompleteAsync(client, party, waiting, reconcile: true, answered.ConversationId, ct);
            settled = outcome.Status == BookingStatus.Booked ? outcome : settled;
        }

        // Booked is what can be moved; a meeting still being confirmed can be cancelled too (the calendar is asked what it
        // holds). Read again only when settling changed what was read (every turn passes here: one read less per turn).
        var current = waitingAny ? await meetings.ActiveAsync(client.Id, lead.Id, ct) : MeetingService.Active(all);
        var active = current.FirstOrDefault(m => m.Status == MeetingStatus.Booked);
        var cancellable = active ?? current.FirstOrDefault();
        var now = clock.GetUtcNow();
        var offer = await store.GetOfferAsync(client.Id, lead.Id, ct);
        var open = offer is not null && offer.ThroughSeq < answered.Seq ? offer.Slots.Where(s => s.Start > now).ToList() : [];
        var choice = SlotChoice.Read(turn.Text, open, cancellable is not null, now, party.Zone);
        if (choice.Kind is SlotChoiceKind.Requested or SlotChoiceKind.OtherTimes && choice.Date is null && choice.Time is null
            && Brain.Rules.LeadText.Parse(turn.Text) is var said && (Brain.Rules.IntentRules.DescribesPain(said) || Brain.Rules.IntentRules.PromisesToGetBack(said)))
        {
            // "Our customers write in the evenings and at weekends, nobody is there": a pain told, not a time asked for;
            // "I'll discuss with the partners and get back to you next week" beside offered times: a deferral, not a no to them.
            choice = SlotChoice.Nothing;
        }

        // A buyer's go-ahead ("dann machen wir das") also turns into the closing attempt, but it gets the purchase reply's
        // next step (the contract details), not "Happy to set up a demo".
        var wantsMeeting = turn.Analysis.Intent == Intent.Meeting
            || (turn.To == ConversationState.ClosingAttempt && turn.From != ConversationState.ClosingAttempt && turn.Analysis.Intent != Intent.Purchase);

        try
        {
            return choice.Kind switch
            {
                SlotChoiceKind.Pick => await ReplyToAsync(turn, party, await BookOrMoveAsync(turn, party, active, choice.Slot!, ct), ct),
                SlotChoiceKind.Ambiguous => new(SlotText.WhichReply(choice.Candidates!, party.Zone, party.Language), false),
                // With a booked meeting, a new time asked for ("could we do Thursday at 11 instead?") moves it.
                SlotChoiceKind.Requested when active is not null && wantsMeeting => await RequestedAsync(turn, party, active, choice, open, ct),
                SlotChoiceKind.Requested when active is null && (open.Count > 0 || wantsMeeting) => await RequestedAsync(turn, party, active: null, choice, open, ct),
                SlotChoiceKind.OtherTimes => await OfferAsync(turn, party, choice.NextWeek, [.. open.Select(s => s.Start)], moving: false, ct),
                SlotChoiceKind.Cancel when cancellable is not null => await CancelAsync(turn, party, cancellable, ct),
                SlotChoiceKind.Cancel when turn.Analysis.Intent == Intent.Meeting => new(SlotText.NoActiveMeeting(party.Language), false),
                SlotChoiceKind.PickAfterBooking when active is not null => new(SlotText.AlreadyBooked(active, party.Zone), false),
                SlotChoiceKind.Reschedule when active is not null => choice.Date is not null || choice.Time is not null
                    ? await RequestedAsync(turn, party, active, choice.SameTime ? choice with { Time = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(active.Start, party.Zone).DateTime) } : choice, [], ct)
                    : await OfferAsync(turn, party, choice.NextWeek, [active.Start], moving: true, ct),
                _ when settled is not null => await ReplyToAsync(turn, party, settled, ct),
                _ when wantsMeeting && active is not null && turn.Analysis.Intent == Intent.Meeting => new(SlotText.AlreadyBooked(active, party.Zone), false),
                _ when wantsMeeting && active is null => await OfferAsync(turn, party, false, [], moving: false, ct),
                _ => null,
            };
        }
        catch (SchedulingException e)
        {
            logger.LogWarning("The calendar failed during lead {LeadId}'s meeting turn; told the lead, no times invented: {Error}", lead.Id, e.Message);
            return new(choice.Kind is SlotChoiceKind.Cancel or SlotChoiceKind.Reschedule ? SlotText.CalendarDownForChange(party.Language) : SlotText.CalendarDown(party.Language), false);
        }
    }

    private Task<BookingOutcome> BookOrMoveAsync(MeetingTurnContext turn, MeetingParty party, Meeting? active, MeetingSlot slot, CancellationToken ct) =>
        active is null
            ? meetings.BookAsync(turn.Client, party, turn.Lead.Id, slot, turn.Answered.Seq, turn.Answered.ConversationId, ct)
            : meetings.RescheduleAsync(turn.Client, party, active, slot, "moved by the lead in the conversation", turn.Answered.ConversationId, ct);

    /// <summary>
    /// A day or time the lead named: booked (or the meeting moved) when free, else the nearest free times offered. A bare
    /// time answering an offer ("3pm works" to Thursday's times) means the day offered first, not today.
    /// </summary>
    private async Task<MeetingTurn> RequestedAsync(MeetingTurnContext turn, MeetingParty party, Meeting? active, SlotChoice choice, IReadOnlyList<MeetingSlot> offered, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), party.Zone).DateTime);
        var offeredDay = offered.Count > 0 && !choice.NextWeek ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(offered.Min(s => s.Start), party.Zone).DateTime) : (DateOnly?)null;
        // "actually can we make it 3pm instead" (booked for Thursday) moved the meeting to today: a time alone moves it on its day.
        var bookedDay = active is not null && choice.Time is not null && !choice.NextWeek ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(active.Start, party.Zone).DateTime) : (DateOnly?)null;
        var date = choice.Date ?? offeredDay ?? bookedDay ?? (choice.NextWeek ? SlotChoice.NextMonday(today) : today);
        var (free, alternatives, fits) = await meetings.CheckRequestedAsync(turn.Client, party, turn.Lead.Id, turn.Answered.Seq, date, choice.OtherDays, choice.Time, choice.Bound, choice.Part, ct);
        if (free is null && choice.Date is null && offeredDay is null && bookedDay is null && choice.Bound == TimeBound.At && choice.Time is { } time)
        {
            // Only a time, and today's is too soon or taken: tomorrow's.
            (free, var later, fits) = await meetings.CheckRequestedAsync(turn.Client, party, turn.Lead.Id, turn.Answered.Seq, date.AddDays(1), [], time, choice.Bound, choice.Part, ct);
            alternatives = later ?? alternatives;
        }

        if (free is not null)
        {
            return await ReplyToAsync(turn, party, await BookOrMoveAsync(turn, party, active, free, ct), ct);
        }

        if (alternatives is null)
        {
            return new(SlotText.NoSlots(party.Language), false);
        }

        var text = choice is { Time: { } limit, Bound: not TimeBound.At }
            ? SlotText.WindowReply(alternatives.Slots, party.Zone, party.Language, limit, choice.Bound, fits)
            : choice is { Time: null, Part: { } part } && !fits
                ? SlotText.PartTakenReply(alternatives.Slots, party.Zone, party.Language, [date, .. choice.OtherDays], part)
                : SlotText.OtherSlotsReply(alternatives.Slots, party.Zone, party.Language, requestedTaken: choice.Time is not null);
        return new(WithHostHours(text, alternatives.Slots, turn, party), false);
    }

    /// <summary>The offer's text with the reason when its times lie outside the lead's day (<see cref="SlotText.HostHoursNote"/>).</summary>
    private static string WithHostHours(string text, IReadOnlyList<MeetingSlot> slots, MeetingTurnContext turn, MeetingParty party) =>
        text + SlotText.HostHoursNote(slots, party.Zone, turn.Client.Config?.TimeZone ?? turn.Client.TimeZone, party.Language);

    private async Task<MeetingTurn> OfferAsync(MeetingTurnContext turn, MeetingParty party, bool nextWeek, IReadOnlyCollection<DateTimeOffset> exclude, bool moving, CancellationToken ct)
    {
        DateTimeOffset? from = null;
        if (nextWeek)
        {
            var monday = SlotChoice.NextMonday(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), party.Zone).DateTime)).ToDateTime(TimeOnly.MinValue);
            from = new DateTimeOffset(monday, party.Zone.GetUtcOffset(monday));
        }

        var offer = await meetings.OfferAsync(turn.Client, party, turn.Lead.Id, turn.Answered.Seq, from, exclude, ct);
        if (offer is null)
        {
            return new(SlotText.NoSlots(party.Language), false);
        }

        var text = moving ? SlotText.MoveOffer(offer.Slots, party.Zone, party.Language)
            : exclude.Count > 0 || nextWeek ? SlotText.OtherSlotsReply(offer.Slots, party.Zone, party.Language, requestedTaken: false)
            : SlotText.OfferReply(offer.Slots, party.Zone, party.Language, Brain.Rules.IntentRules.MeetingWishOf(Brain.Rules.LeadText.Parse(turn.Text)));
        return new(WithHostHours(text, offer.Slots, turn, party), false);
    }

    private async Task<MeetingTurn> CancelAsync(MeetingTurnContext turn, MeetingParty party, Meeting active, CancellationToken ct)
    {
        var cancelled = await meetings.CancelAsync(turn.Client, active, "cancelled by the lead in the conversation", ct);
        return new(SlotText.Cancelled(cancelled, party.Zone), false);
    }

    /// <summary>The reply to a booking's outcome: confirmed only when the calendar booked it; refused gets new times.</summary>
    private async Task<MeetingTurn> ReplyToAsync(MeetingTurnContext turn, MeetingParty party, BookingOutcome outcome, CancellationToken ct)
    {
        switch (outcome.Status)
        {
            case BookingStatus.Booked:
                return new(SlotText.Confirmation(outcome.Meeting, party.Zone, outcome.EmailSent), true);
            case BookingStatus.Pending:
                return new(SlotText.Pending(new MeetingSlot(outcome.Meeting.Start, outcome.Meeting.End), party.Zone, party.Language), false);
            default:
                var offer = await meetings.OfferAsync(turn.Client, party, turn.Lead.Id, turn.Answered.Seq, null, [outcome.Meeting.Start], ct);
                return new(offer is null ? SlotText.NoSlots(party.Language) : WithHostHours(SlotText.TakenReply(offer.Slots, party.Zone, party.Language), offer.Slots, turn, party), false);
        }
    }
}

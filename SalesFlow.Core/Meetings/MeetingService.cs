using System.Globalization;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Integration;

namespace SalesFlow.Core.Meetings;

public enum BookingStatus
{
    Booked,

    /// <summary>The calendar could not be reached: the meeting stays requested and is reconciled on a later run; nothing is confirmed.</summary>
    Pending,

    /// <summary>The calendar refused (the slot was taken meanwhile): the meeting is failed.</summary>
    Refused,
}

/// <param name="EmailSent">A confirmation e-mail was written to the outbox.</param>
public sealed record BookingOutcome(BookingStatus Status, Meeting Meeting, bool EmailSent = false);

/// <summary>
/// Meetings in the conversation, on the calendar port: offers real slots, books exactly once (the meeting is stored as
/// requested under a key derived from the message being answered before the calendar is asked, and a run that finds
/// it still requested asks the calendar what it holds before booking), cancels and moves; each change is published
/// after its write, and a booking e-mails its confirmation through the outbox.
/// </summary>
public sealed class MeetingService(
    IMeetingScheduler scheduler,
    IMeetingStore store,
    IOutboxStore outbox,
    IIntegrationEvents events,
    TimeProvider clock,
    ILogger<MeetingService> logger)
{
    /// <summary>The earliest an offered slot starts: time for both sides to prepare.</summary>
    public static readonly TimeSpan MinLead = TimeSpan.FromHours(2);

    /// <summary>How far ahead slots are looked for.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(7);

    private const int MaxWriteAttempts = 5;

    /// <summary>The key of the booking that answers message <paramref name="seq"/>: the same however often the turn runs.</summary>
    public static string BookingKey(string leadId, long seq) => $"book/{leadId}/{seq.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Offers 2–3 slots of the next days (from <paramref name="from"/>, at least <see cref="MinLead"/> ahead) and saves
    /// the offer; null when the calendar has none. A re-run of the turn that made the offer gets the saved one back
    /// (the reply already written names those slots). Throws <see cref="SchedulingException"/> when the calendar fails.
    /// </summary>
    /// <param name="exclude">Slots the lead turned down or that were just refused: not offered again.</param>
    public async Task<SlotOffer?> OfferAsync(Client client, MeetingParty party, string leadId, long throughSeq, DateTimeOffset? from, IReadOnlyCollection<DateTimeOffset> exclude, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(party);
        if (await store.GetOfferAsync(client.Id, leadId, ct) is { } saved && saved.ThroughSeq == throughSeq)
        {
            return saved;
        }

        var free = (await FreeSlotsAsync(client, party, from, ct)).Where(s => !exclude.Contains(s.Start)).ToList();
        return free.Count == 0 ? null : await SaveOfferAsync(client, party, leadId, throughSeq, SlotPicker.Spread(free, party.Zone), ct);
    }

    /// <summary>
    /// A day and/or time the lead asked for: the free slot starting then (to be booked), or else an offer of the free
    /// slots nearest to it (saved; null when the calendar has none). A day named with a part of it ("Dienstag Vormittag")
    /// is offered that part's times when it has any. A window ("anytime after 10am", <paramref name="bound"/>) is offered
    /// its free times, the named day's first; <c>FitsTheWish</c> says whether the offer lies in it (else it holds the
    /// times nearest to it). <paramref name="otherDays"/> are the other days of a wish for one of several ("Tuesday or
    /// Wednesday morning"): their times are offered beside <paramref name="date"/>'s.
    /// </summary>
    public async Task<(MeetingSlot? Free, SlotOffer? Alternatives, bool FitsTheWish)> CheckRequestedAsync(Client client, MeetingParty party, string leadId, long throughSeq, DateOnly date, IReadOnlyList<DateOnly> otherDays, TimeOnly? time, TimeBound bound, DayPart? part, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(party);
        ArgumentNullException.ThrowIfNull(otherDays);
        var zone = party.Zone;
        bool OnNamedDay(MeetingSlot s) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(s.Start, zone).DateTime) is var d && (d == date || otherDays.Contains(d));
        var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue)));
        var firstDay = otherDays.Append(date).Min().ToDateTime(TimeOnly.MinValue);
        var firstDayStart = new DateTimeOffset(firstDay, zone.GetUtcOffset(firstDay));
        var wanted = time is { } t ? new DateTimeOffset(date.ToDateTime(t), zone.GetUtcOffset(date.ToDateTime(t))) : dayStart.AddHours(12);
        var earliest = clock.GetUtcNow() + MinLead;
        if (time is { } limit && bound != TimeBound.At)
        {
            var start = Max(firstDayStart, earliest);
            var ahead = await scheduler.FindSlotsAsync(client, start, start + Horizon, party.TimeZone, ct);
            var inWindow = ahead.Where(s => InWindow(s, zone, limit, bound, part)).ToList();
            var onNamedDay = inWindow.Where(OnNamedDay).ToList();
            var picked = inWindow.Count > 0 ? SlotPicker.Spread(onNamedDay.Count > 0 ? onNamedDay : inWindow, zone) : SlotPicker.Nearest(ahead, wanted, zone);
            return (null, picked.Count == 0 ? null : await SaveOfferAsync(client, party, leadId, throughSeq, picked, ct), inWindow.Count > 0);
        }

        if (time is not null && wanted >= earliest)
        {
            var around = await scheduler.FindSlotsAsync(client, wanted, wanted.AddDays(1), party.TimeZone, ct);
            if (around.FirstOrDefault(s => s.Start == wanted) is { } free)
            {
                return (free, null, true);
            }
        }

        // Not free (or only a day was named): the free times nearest to it, within a few days either side.
        var from = Max(wanted.AddDays(-3) < firstDayStart ? wanted.AddDays(-3) : firstDayStart, earliest);
        var slots = await scheduler.FindSlotsAsync(client, from, Max(wanted.AddDays(4), from + Horizon), party.TimeZone, ct);
        var onDay = time is null ? slots.Where(OnNamedDay).ToList() : [];
        var inPart = onDay.Where(s => SlotChoice.InPart(TimeZoneInfo.ConvertTime(s.Start, zone).DateTime, part)).ToList();
        var fits = time is null && onDay.Count > 0 && (part is null || inPart.Count > 0);
        onDay = inPart.Count > 0 ? inPart : onDay;
        var chosen = onDay.Count > 0 ? SlotPicker.Spread(onDay, zone) : SlotPicker.Nearest(slots.Where(s => s.Start >= earliest).ToList(), wanted, zone);
        return (null, chosen.Count == 0 ? null : await SaveOfferAsync(client, party, leadId, throughSeq, chosen, ct), fits);
    }

    private static bool InWindow(MeetingSlot slot, TimeZoneInfo zone, TimeOnly limit, TimeBound bound, DayPart? part)
    {
        var local = TimeZoneInfo.ConvertTime(slot.Start, zone).DateTime;
        return SlotChoice.Admits(TimeOnly.FromDateTime(local), limit, bound) && SlotChoice.InPart(local, part);
    }

    /// <summary>
    /// Books <paramref name="slot"/> for the lead, exactly once for message <paramref name="seq"/>: a re-run finds the
    /// meeting it stored and completes it (reconciling with the calendar) instead of booking a second time.
    /// </summary>
    public async Task<BookingOutcome> BookAsync(Client client, MeetingParty party, string leadId, MeetingSlot slot, long seq, string conversationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(party);
        ArgumentNullException.ThrowIfNull(slot);
        var now = clock.GetUtcNow();
        var key = BookingKey(leadId, seq);
        var (meeting, created) = await store.AddAsync(
            new Meeting
            {
                Id = Ids.Deterministic("mtg", client.Id, key),
                ClientId = client.Id,
                LeadId = leadId,
                Provider = client.Config?.CalCom?.IsComplete == true ? MeetingProviders.CalCom : MeetingProviders.Embedded,
                Start = slot.Start,
                End = slot.End,
                TimeZone = party.TimeZone,
                Language = party.Language,
                Status = MeetingStatus.Requested,
                AttendeeName = party.Name,
                AttendeeEmail = party.Email,
                AttendeePhone = party.Phone,
                IdempotencyKey = key,
                CreatedAt = now,
                UpdatedAt = now,
            },
            ct);
        return await CompleteAsync(client, party, meeting, reconcile: !created, conversationId, ct);
    }

    /// <summary>
    /// Carries a stored meeting to its end: a booked one gets its event and e-mail again (both keyed, so at most once);
    /// a requested one is reconciled with the calendar when an earlier run may have asked already, then booked.
    /// </summary>
    public async Task<BookingOutcome> CompleteAsync(Client client, MeetingParty party, Meeting meeting, bool reconcile, string conversationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (meeting.Status == MeetingStatus.Booked)
        {
            return await AfterBookedAsync(client, party, meeting, conversationId, ct);
        }

        if (meeting.Status != MeetingStatus.Requested)
        {
            return new(BookingStatus.Refused, meeting);
        }

        var request = RequestOf(meeting);
        BookedMeeting booked;
        try
        {
            booked = (reconcile ? await scheduler.FindBookingAsync(client, request, ct) : null) ?? await scheduler.BookAsync(client, request, ct);
        }
        catch (SchedulingException e) when (e.Permanent)
        {
            logger.LogWarning("The calendar refused meeting {MeetingId} of lead {LeadId}: {Error}", meeting.Id, meeting.LeadId, e.Message);
            var failed = await WriteAsync(meeting, m => m.Status == MeetingStatus.Requested ? m with { Status = MeetingStatus.Failed, Error = e.Message } : null, ct);
            return failed.Status == MeetingStatus.Booked ? await AfterBookedAsync(client, party, failed, conversationId, ct) : new(BookingStatus.Refused, failed);
        }
        catch (SchedulingException e)
        {
            logger.LogWarning("The calendar could not book meeting {MeetingId} of lead {LeadId} now; it stays requested for a retry: {Error}", meeting.Id, meeting.LeadId, e.Message);
            return new(BookingStatus.Pending, meeting);
        }

        var stored = await WriteAsync(meeting, m => m.Status == MeetingStatus.Requested ? m with { Status = MeetingStatus.Booked, Provider = booked.Provider, ExternalId = booked.ExternalId, Start = booked.Start, End = booked.End, Location = booked.Location, Error = null } : null, ct);
        await store.DeleteOfferAsync(meeting.ClientId, meeting.LeadId, ct);
        logger.LogInformation("Meeting {MeetingId} of lead {LeadId} booked ({Provider} {ExternalId})", stored.Id, stored.LeadId, stored.Provider, stored.ExternalId);
        return stored.Status == MeetingStatus.Booked ? await AfterBookedAsync(client, party, stored, conversationId, ct) : new(BookingStatus.Refused, stored);
    }

    /// <summary>Cancels an active meeting in the calendar, then records it; a meeting not active is returned as it is.</summary>
    public async Task<Meeting> CancelAsync(Client client, Meeting meeting, string reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (!meeting.IsActive)
        {
            return meeting;
        }

        // A meeting still requested may have been booked by a run that died before recording it: cancel that booking too.
        var inCalendar = meeting.ExternalId is null ? await scheduler.FindBookingAsync(client, RequestOf(meeting), ct) : null;
        var known = inCalendar is null ? meeting : meeting with { ExternalId = inCalendar.ExternalId, Provider = inCalendar.Provider };
        if (known.ExternalId is not null)
        {
            await scheduler.CancelAsync(client, known, reason, ct);
        }

        var cancelled = await WriteAsync(meeting, m => m.IsActive ? m with { Status = MeetingStatus.Cancelled, CancelReason = reason, ExternalId = m.ExternalId ?? known.ExternalId } : null, ct);
        await events.PublishBestEffortAsync(new MeetingCancelled(cancelled.ClientId, cancelled.LeadId, clock.GetUtcNow(), cancelled.Id, reason), logger, ct);
        logger.LogInformation("Meeting {MeetingId} of lead {LeadId} cancelled", cancelled.Id, cancelled.LeadId);
        return cancelled;
    }

    /// <summary>
    /// Moves a booked meeting to <paramref name="slot"/>. A refusal is checked against the calendar first: a run that
    /// died after moving it finds the booking at the new time and records it instead of failing.
    /// </summary>
    public async Task<BookingOutcome> RescheduleAsync(Client client, MeetingParty party, Meeting meeting, MeetingSlot slot, string reason, string conversationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentNullException.ThrowIfNull(slot);
        if (meeting.Status == MeetingStatus.Booked && meeting.Start == slot.Start)
        {
            return await AfterBookedAsync(client, party, meeting, conversationId, ct);
        }

        BookedMeeting moved;
        try
        {
            moved = await scheduler.RescheduleAsync(client, meeting, slot, reason, ct);
        }
        catch (SchedulingException e) when (e.Permanent)
        {
            if (await scheduler.FindBookingAsync(client, RequestOf(meeting) with { Slot = slot }, ct) is not { } found)
            {
                logger.LogWarning("The calendar refused to move meeting {MeetingId}: {Error}", meeting.Id, e.Message);
                return new(BookingStatus.Refused, meeting);
            }

            moved = found;
        }
        catch (SchedulingException e)
        {
            logger.LogWarning("The calendar could not move meeting {MeetingId} now: {Error}", meeting.Id, e.Message);
            return new(BookingStatus.Pending, meeting);
        }

        var stored = await WriteAsync(meeting, m => m with { Status = MeetingStatus.Booked, Provider = moved.Provider, ExternalId = moved.ExternalId, Start = moved.Start, End = moved.End, Location = moved.Location ?? m.Location }, ct);
        await store.DeleteOfferAsync(meeting.ClientId, meeting.LeadId, ct);
        logger.LogInformation("Meeting {MeetingId} of lead {LeadId} moved", stored.Id, stored.LeadId);
        return await AfterBookedAsync(client, party, stored, conversationId, ct);
    }

    /// <summary>The lead's meetings that are requested or booked, soonest first.</summary>
    public async Task<IReadOnlyList<Meeting>> ActiveAsync(string clientId, string leadId, CancellationToken ct) =>
        Active(await store.ListForLeadAsync(clientId, leadId, ct));

    /// <summary>The active meetings of a lead's list, earliest first.</summary>
    public static IReadOnlyList<Meeting> Active(IReadOnlyList<Meeting> meetings) => meetings.Where(m => m.IsActive).OrderBy(m => m.Start).ToList();

    private async Task<IReadOnlyList<MeetingSlot>> FreeSlotsAsync(Client client, MeetingParty party, DateTimeOffset? from, CancellationToken ct)
    {
        var start = Max(from ?? DateTimeOffset.MinValue, clock.GetUtcNow() + MinLead);
        var slots = await scheduler.FindSlotsAsync(client, start, start + Horizon, party.TimeZone, ct);
        return slots.Where(s => s.Start >= start).ToList();
    }

    private async Task<SlotOffer> SaveOfferAsync(Client client, MeetingParty party, string leadId, long throughSeq, IReadOnlyList<MeetingSlot> slots, CancellationToken ct)
    {
        var offer = new SlotOffer(client.Id, leadId, slots, party.TimeZone, party.Language, clock.GetUtcNow(), throughSeq);
        await store.SaveOfferAsync(offer, ct);
        return offer;
    }

    private async Task<BookingOutcome> AfterBookedAsync(Client client, MeetingParty party, Meeting meeting, string conversationId, CancellationToken ct)
    {
        var emailed = party.ConfirmTo is { } address && await WriteConfirmationAsync(client, meeting, address, conversationId, ct);
        await events.PublishBestEffortAsync(new MeetingBooked(meeting.ClientId, meeting.LeadId, clock.GetUtcNow(), meeting.Id, meeting.ExternalId, meeting.Start, meeting.End, meeting.TimeZone), logger, ct);
        return new(BookingStatus.Booked, meeting, emailed);
    }

    /// <summary>The confirmation e-mail, written like the e-mail verification's: once per meeting and start (a move sends a new one).</summary>
    private async Task<bool> WriteConfirmationAsync(Client client, Meeting meeting, string address, string conversationId, CancellationToken ct)
    {
        var start = meeting.Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await outbox.AddAsync(
            new OutboxItem
            {
                Id = Ids.Deterministic("out", meeting.ClientId, "meeting-confirmation", meeting.Id, start),
                ClientId = meeting.ClientId,
                LeadId = meeting.LeadId,
                ConversationId = conversationId,
                Channel = ChannelKind.Email,
                Recipient = address,
                Text = SlotText.ConfirmationEmail(client.Name, meeting, FollowUps.FollowUpPlanner.ZoneOf(meeting.TimeZone)),
                IdempotencyKey = $"meeting-confirmation:{meeting.Id}:{start}",
                Purpose = OutboxPurpose.MeetingConfirmation,
                CreatedAt = meeting.UpdatedAt,
                UpdatedAt = meeting.UpdatedAt,
            },
            ct);
        return true;
    }

    /// <summary>An ETag-guarded change of the stored meeting; a lost race reads it again and asks <paramref name="change"/> anew (null: leave it).</summary>
    private async Task<Meeting> WriteAsync(Meeting meeting, Func<Meeting, Meeting?> change, CancellationToken ct)
    {
        var current = meeting;
        for (var attempt = 1; ; attempt++)
        {
            if (change(current) is not { } changed)
            {
                return current;
            }

            try
            {
                return await store.ReplaceAsync(changed with { UpdatedAt = clock.GetUtcNow() }, ct);
            }
            catch (ConcurrencyException) when (attempt < MaxWriteAttempts)
            {
                current = await store.GetAsync(meeting.ClientId, meeting.Id, ct) ?? throw new InvalidOperationException($"Meeting {meeting.Id} vanished while being written.");
            }
        }
    }

    private static BookingRequest RequestOf(Meeting meeting) =>
        new(meeting.IdempotencyKey, new MeetingSlot(meeting.Start, meeting.End), meeting.AttendeeName ?? "Guest", meeting.AttendeeEmail, meeting.AttendeePhone, meeting.TimeZone, meeting.Language, null);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

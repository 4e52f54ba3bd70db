using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Infrastructure.Meetings;

/// <summary>
/// SalesFlow's own calendar, for a client without Cal.com: weekdays 09:00–17:00 in the client's time zone
/// (config timeZone, else the client's own), slots of calcom.durationMinutes (30 by default) from 09:00, minus the
/// client's active meetings (<see cref="IMeetingStore.ListActiveBetweenAsync"/>). The store is the calendar: a
/// booking is the caller's meeting row, so the booking id is derived from the idempotency key (the same intent always
/// gets the same id, and booking it again cannot double it).
/// </summary>
public sealed class EmbeddedMeetingScheduler(IMeetingStore meetings, TimeProvider clock) : IMeetingScheduler
{
    public static readonly TimeOnly DayStart = new(9, 0);
    public static readonly TimeOnly DayEnd = new(17, 0);

    /// <summary>How far ahead one search looks at most (a wider window is cut, not refused).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(62);

    public async Task<IReadOnlyList<MeetingSlot>> FindSlotsAsync(Client client, DateTimeOffset from, DateTimeOffset to, string timeZone, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        from = from < now ? now : from;
        to = to - from > MaxWindow ? from + MaxWindow : to;
        if (to <= from)
        {
            return [];
        }

        var busy = await meetings.ListActiveBetweenAsync(client.Id, from, to, ct);
        return [.. BusinessSlots(client, from, to).Where(slot => !busy.Any(m => Overlaps(m, slot)))];
    }

    public async Task<BookedMeeting> BookAsync(Client client, BookingRequest request, CancellationToken ct)
    {
        await EnsureFreeAsync(client, request.Slot, request.IdempotencyKey, null, ct);
        return new BookedMeeting(MeetingProviders.Embedded, ExternalId(client.Id, request.IdempotencyKey), request.Slot.Start, request.Slot.End, null);
    }

    /// <summary>The embedded calendar holds nothing beyond the caller's own rows: a booking the caller never recorded does not exist.</summary>
    public async Task<BookedMeeting?> FindBookingAsync(Client client, BookingRequest request, CancellationToken ct) =>
        await meetings.FindByExternalIdAsync(client.Id, ExternalId(client.Id, request.IdempotencyKey), ct) is { Status: MeetingStatus.Booked } booked
            ? new BookedMeeting(MeetingProviders.Embedded, booked.ExternalId!, booked.Start, booked.End, booked.Location)
            : null;

    /// <summary>Nothing to tell anyone: the caller's cancelled row frees the slot.</summary>
    public Task CancelAsync(Client client, Meeting meeting, string reason, CancellationToken ct) => Task.CompletedTask;

    public async Task<BookedMeeting> RescheduleAsync(Client client, Meeting meeting, MeetingSlot slot, string? reason, CancellationToken ct)
    {
        await EnsureFreeAsync(client, slot, meeting.IdempotencyKey, meeting.Id, ct);
        return new BookedMeeting(MeetingProviders.Embedded, meeting.ExternalId ?? ExternalId(client.Id, meeting.IdempotencyKey), slot.Start, slot.End, meeting.Location);
    }

    public static string ExternalId(string clientId, string idempotencyKey) => Ids.Deterministic("emb", clientId, idempotencyKey);

    /// <summary>The slots of business hours in [from, to), in the client's zone, earliest first.</summary>
    public static IEnumerable<MeetingSlot> BusinessSlots(Client client, DateTimeOffset from, DateTimeOffset to)
    {
        var zone = ZoneOf(client);
        var length = TimeSpan.FromMinutes(client.Config?.CalCom?.DurationMinutes ?? CalComConfig.DefaultDurationMinutes);
        for (var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime); day.ToDateTime(TimeOnly.MinValue) <= TimeZoneInfo.ConvertTime(to, zone).DateTime; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            for (var local = day.ToDateTime(DayStart); local + length <= day.ToDateTime(DayEnd); local += length)
            {
                if (zone.IsInvalidTime(local))
                {
                    continue;
                }

                var start = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
                if (start >= from && start < to)
                {
                    yield return new MeetingSlot(start, start + length);
                }
            }
        }
    }

    /// <summary>
    /// Refuses (permanently: this slot is gone) when it is outside business hours or another active meeting overlaps
    /// it. The caller's own row (same idempotency key, or the meeting being moved) does not count; of two requests
    /// racing for one slot the one recorded first wins, so exactly one of them books.
    /// </summary>
    private async Task EnsureFreeAsync(Client client, MeetingSlot slot, string idempotencyKey, string? movingMeetingId, CancellationToken ct)
    {
        if (!BusinessSlots(client, slot.Start, slot.Start.AddTicks(1)).Contains(slot))
        {
            throw new SchedulingException($"{slot.Start:u} is not a slot of the calendar (weekdays {DayStart:HH\\:mm}–{DayEnd:HH\\:mm}, {ZoneOf(client).Id}).", permanent: true);
        }

        var active = await meetings.ListActiveBetweenAsync(client.Id, slot.Start, slot.End, ct);
        var own = active.FirstOrDefault(m => m.IdempotencyKey == idempotencyKey || m.Id == movingMeetingId);
        var taken = active.Any(m => m != own && Overlaps(m, slot) && (own is null || m.Status == MeetingStatus.Booked || FirstRecorded(m, own)));
        if (taken)
        {
            throw new SchedulingException($"The slot at {slot.Start:u} was taken meanwhile.", permanent: true);
        }
    }

    private static bool FirstRecorded(Meeting other, Meeting own) =>
        other.CreatedAt < own.CreatedAt || (other.CreatedAt == own.CreatedAt && string.CompareOrdinal(other.Id, own.Id) < 0);

    private static bool Overlaps(Meeting meeting, MeetingSlot slot) => meeting.Start < slot.End && meeting.End > slot.Start;

    private static TimeZoneInfo ZoneOf(Client client)
    {
        var id = client.Config?.TimeZone ?? client.TimeZone;
        return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }
}

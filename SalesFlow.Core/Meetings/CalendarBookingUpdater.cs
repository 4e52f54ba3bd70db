using Microsoft.Extensions.Logging;
using SalesFlow.Core.Common;
using SalesFlow.Core.Integration;

namespace SalesFlow.Core.Meetings;

public enum CalendarChangeKind
{
    Created,
    Rescheduled,
    Cancelled,
}

/// <summary>What the calendar reports about one of its bookings (a Cal.com webhook, read by its adapter).</summary>
/// <param name="ExternalId">The booking's id now (after a reschedule: the new booking's).</param>
/// <param name="PreviousExternalId">After a reschedule: the id of the booking it replaced.</param>
public sealed record CalendarBookingChange(CalendarChangeKind Kind, string ExternalId, string? PreviousExternalId, DateTimeOffset? Start, DateTimeOffset? End, string? Location, string? Reason);

public enum CalendarChangeOutcome
{
    /// <summary>The stored meeting changed (and its event was published).</summary>
    Applied,
    /// <summary>The stored meeting already was so (a repeated report): nothing written, nothing published.</summary>
    Unchanged,
    /// <summary>No meeting of the client is this booking: nothing to do.</summary>
    UnknownBooking,
}

/// <summary>
/// Applies the calendar's own changes (booked, moved, cancelled in Cal.com) to the stored meeting it names, with an
/// ETag-guarded write (re-read and re-applied on a lost race), and publishes <see cref="MeetingBooked"/> or
/// <see cref="MeetingCancelled"/> only when the meeting actually changed: a repeated report changes nothing.
/// </summary>
public sealed class CalendarBookingUpdater(IMeetingStore meetings, IIntegrationEvents events, TimeProvider clock, ILogger<CalendarBookingUpdater> logger)
{
    private const int MaxAttempts = 3;

    public async Task<CalendarChangeOutcome> ApplyAsync(string clientId, CalendarBookingChange change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var meeting = await FindAsync(clientId, change, ct);
            if (meeting is null)
            {
                return CalendarChangeOutcome.UnknownBooking;
            }

            var now = clock.GetUtcNow();
            var updated = Updated(meeting, change, now);
            if (updated is null)
            {
                return CalendarChangeOutcome.Unchanged;
            }

            try
            {
                var saved = await meetings.ReplaceAsync(updated, ct);
                await events.PublishBestEffortAsync(EventOf(saved, now), logger, ct);
                return CalendarChangeOutcome.Applied;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Changed meanwhile (the conversation recorded the booking, another delivery of this report): read again.
            }
        }
    }

    private async Task<Meeting?> FindAsync(string clientId, CalendarBookingChange change, CancellationToken ct) =>
        await meetings.FindByExternalIdAsync(clientId, change.ExternalId, ct)
        ?? (change.PreviousExternalId is { Length: > 0 } previous ? await meetings.FindByExternalIdAsync(clientId, previous, ct) : null);

    /// <summary>The meeting as the report makes it, or null when it already is so.</summary>
    private static Meeting? Updated(Meeting meeting, CalendarBookingChange change, DateTimeOffset now)
    {
        var next = change.Kind switch
        {
            CalendarChangeKind.Cancelled => meeting with { Status = MeetingStatus.Cancelled, CancelReason = change.Reason ?? meeting.CancelReason },
            // A booking the calendar still reports as created does not revive a meeting cancelled since.
            CalendarChangeKind.Created when meeting.Status == MeetingStatus.Cancelled => meeting,
            _ => meeting with
            {
                Status = MeetingStatus.Booked,
                ExternalId = change.ExternalId,
                Start = change.Start ?? meeting.Start,
                End = change.End ?? meeting.End,
                Location = change.Location ?? meeting.Location,
                Error = null,
            },
        };
        return next == meeting ? null : next with { UpdatedAt = now };
    }

    private static IntegrationEvent EventOf(Meeting meeting, DateTimeOffset now) =>
        meeting.Status == MeetingStatus.Cancelled
            ? new MeetingCancelled(meeting.ClientId, meeting.LeadId, now, meeting.Id, meeting.CancelReason)
            : new MeetingBooked(meeting.ClientId, meeting.LeadId, now, meeting.Id, meeting.ExternalId, meeting.Start, meeting.End, meeting.TimeZone);
}

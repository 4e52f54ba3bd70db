using SalesFlow.Core.Clients;

namespace SalesFlow.Core.Meetings;

/// <summary>
/// The port to a calendar: Cal.com API v2 when the client configured it (<see cref="CalComConfig.IsComplete"/>),
/// SalesFlow's own calendar otherwise. Throws <see cref="SchedulingException"/> when the calendar refuses or cannot be reached.
/// </summary>
public interface IMeetingScheduler
{
    /// <summary>Free slots between <paramref name="from"/> and <paramref name="to"/>, earliest first, of the client's meeting length.</summary>
    Task<IReadOnlyList<MeetingSlot>> FindSlotsAsync(Client client, DateTimeOffset from, DateTimeOffset to, string timeZone, CancellationToken ct);

    Task<BookedMeeting> BookAsync(Client client, BookingRequest request, CancellationToken ct);

    /// <summary>
    /// After a run died between asking for a booking and recording the answer: the booking the calendar holds for this
    /// request (same attendee and start), or null when it has none (then booking again cannot double it).
    /// </summary>
    Task<BookedMeeting?> FindBookingAsync(Client client, BookingRequest request, CancellationToken ct);

    /// <summary>Cancels; a meeting the calendar already cancelled is no error.</summary>
    Task CancelAsync(Client client, Meeting meeting, string reason, CancellationToken ct);

    /// <summary>Moves the meeting to <paramref name="slot"/>; returns the booking as it now is (Cal.com gives a rescheduled booking a new uid).</summary>
    Task<BookedMeeting> RescheduleAsync(Client client, Meeting meeting, MeetingSlot slot, string? reason, CancellationToken ct);
}

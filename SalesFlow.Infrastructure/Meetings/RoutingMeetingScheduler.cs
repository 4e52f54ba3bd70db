using SalesFlow.Core.Clients;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Infrastructure.Meetings;

/// <summary>
/// The <see cref="IMeetingScheduler"/>: per client, Cal.com when its calcom config is complete (apiKey and
/// eventTypeId), else SalesFlow's own calendar. A meeting is always moved or cancelled where it was booked
/// (<see cref="Meeting.Provider"/>), even after the client changed its config.
/// </summary>
public sealed class RoutingMeetingScheduler(CalComScheduler calCom, EmbeddedMeetingScheduler embedded) : IMeetingScheduler
{
    public static string ProviderFor(Client client) => client.Config?.CalCom?.IsComplete == true ? MeetingProviders.CalCom : MeetingProviders.Embedded;

    public Task<IReadOnlyList<MeetingSlot>> FindSlotsAsync(Client client, DateTimeOffset from, DateTimeOffset to, string timeZone, CancellationToken ct) =>
        For(ProviderFor(client)).FindSlotsAsync(client, from, to, timeZone, ct);

    public Task<BookedMeeting> BookAsync(Client client, BookingRequest request, CancellationToken ct) => For(ProviderFor(client)).BookAsync(client, request, ct);

    public Task<BookedMeeting?> FindBookingAsync(Client client, BookingRequest request, CancellationToken ct) => For(ProviderFor(client)).FindBookingAsync(client, request, ct);

    public Task CancelAsync(Client client, Meeting meeting, string reason, CancellationToken ct) => For(meeting.Provider).CancelAsync(client, meeting, reason, ct);

    public Task<BookedMeeting> RescheduleAsync(Client client, Meeting meeting, MeetingSlot slot, string? reason, CancellationToken ct) =>
        For(meeting.Provider).RescheduleAsync(client, meeting, slot, reason, ct);

    private IMeetingScheduler For(string provider) => provider == MeetingProviders.CalCom ? calCom : embedded;
}

using Microsoft.Extensions.Logging.Abstractions;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Meetings;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Adapters;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Meetings;

/// <summary>The calendar's own changes applied to stored meetings (real SQLite store), and the events they publish.</summary>
public sealed class CalendarBookingUpdaterTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2030, 3, 12, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _temp = new();
    private readonly SqliteMeetingStore _store;
    private readonly RecordingEvents _events = new();

    public CalendarBookingUpdaterTests() => _store = new SqliteMeetingStore(_temp.Db);

    public void Dispose() => _temp.Dispose();

    private CalendarBookingUpdater Updater(IMeetingStore? store = null) => new(store ?? _store, _events, new ManualClock(Start.AddDays(-1)), NullLogger<CalendarBookingUpdater>.Instance);

    private async Task<Meeting> StoredAsync(string status = MeetingStatus.Booked, string uid = "bk_1") =>
        (await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_a", Start, status: status, externalId: uid), default)).Meeting;

    [Fact]
    public async Task A_cancellation_cancels_once_and_publishes_meeting_cancelled_once()
    {
        var meeting = await StoredAsync();
        var change = new CalendarBookingChange(CalendarChangeKind.Cancelled, "bk_1", null, Start, Start.AddMinutes(30), null, "No longer needed");

        Assert.Equal(CalendarChangeOutcome.Applied, await Updater().ApplyAsync("acme", change, default));
        Assert.Equal(CalendarChangeOutcome.Unchanged, await Updater().ApplyAsync("acme", change, default));

        var published = Assert.IsType<MeetingCancelled>(Assert.Single(_events.Published));
        Assert.Equal((meeting.Id, "lead_a", "No longer needed"), (published.MeetingId, published.LeadId, published.Reason));
    }

    [Fact]
    public async Task A_reschedule_found_by_the_old_uid_moves_the_meeting_and_publishes_meeting_booked_at_the_new_time()
    {
        var meeting = await StoredAsync();

        var outcome = await Updater().ApplyAsync("acme", new CalendarBookingChange(CalendarChangeKind.Rescheduled, "bk_2", "bk_1", Start.AddDays(1), Start.AddDays(1).AddMinutes(30), "https://app.cal.com/video/bk_2", null), default);

        Assert.Equal(CalendarChangeOutcome.Applied, outcome);
        var published = Assert.IsType<MeetingBooked>(Assert.Single(_events.Published));
        Assert.Equal((meeting.Id, "bk_2", Start.AddDays(1)), (published.MeetingId, published.ExternalId, published.Start));
        Assert.Equal(("bk_2", Start.AddDays(1)), ((await _store.GetAsync("acme", meeting.Id, default))!.ExternalId, (await _store.GetAsync("acme", meeting.Id, default))!.Start));
    }

    [Fact]
    public async Task A_creation_report_of_a_meeting_already_booked_so_changes_nothing_and_a_cancelled_one_is_not_revived()
    {
        var booked = await StoredAsync(uid: "bk_1");
        await StoredAsync(status: MeetingStatus.Cancelled, uid: "bk_3");

        Assert.Equal(CalendarChangeOutcome.Unchanged, await Updater().ApplyAsync("acme", new CalendarBookingChange(CalendarChangeKind.Created, "bk_1", null, booked.Start, booked.End, booked.Location, null), default));
        Assert.Equal(CalendarChangeOutcome.Unchanged, await Updater().ApplyAsync("acme", new CalendarBookingChange(CalendarChangeKind.Created, "bk_3", null, Start, Start.AddMinutes(30), null, null), default));

        Assert.Empty(_events.Published);
    }

    [Fact]
    public async Task A_booking_of_no_meeting_of_the_client_is_unknown_and_publishes_nothing()
    {
        await _store.AddAsync(MeetingStoreContractTests.NewMeeting("globex", "lead_g", Start, externalId: "bk_1"), default);

        Assert.Equal(CalendarChangeOutcome.UnknownBooking, await Updater().ApplyAsync("acme", new CalendarBookingChange(CalendarChangeKind.Cancelled, "bk_1", null, null, null, null, null), default));
        Assert.Equal(MeetingStatus.Booked, (await _store.FindByExternalIdAsync("globex", "bk_1", default))!.Status);
        Assert.Empty(_events.Published);
    }

    [Fact]
    public async Task A_write_that_loses_a_race_is_read_again_and_applied_to_the_newer_meeting()
    {
        var meeting = await StoredAsync();
        var racing = new RacingStore(_store, async () => await _store.ReplaceAsync((await _store.GetAsync("acme", meeting.Id, default))! with { Location = "set meanwhile" }, default));

        var outcome = await Updater(racing).ApplyAsync("acme", new CalendarBookingChange(CalendarChangeKind.Cancelled, "bk_1", null, null, null, null, "Sick"), default);

        Assert.Equal(CalendarChangeOutcome.Applied, outcome);
        var stored = await _store.GetAsync("acme", meeting.Id, default);
        Assert.Equal((MeetingStatus.Cancelled, "set meanwhile"), (stored!.Status, stored.Location));
        Assert.Single(_events.Published);
    }

    private sealed class RecordingEvents : IIntegrationEvents
    {
        public List<IntegrationEvent> Published { get; } = [];

        public Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken ct)
        {
            Published.Add(integrationEvent);
            return Task.CompletedTask;
        }
    }

    /// <summary>The real store, with another writer changing the meeting just before the first replace.</summary>
    private sealed class RacingStore(IMeetingStore inner, Func<Task> meanwhile) : IMeetingStore
    {
        private bool _raced;

        public async Task<Meeting> ReplaceAsync(Meeting meeting, CancellationToken ct)
        {
            if (!_raced)
            {
                _raced = true;
                await meanwhile();
            }

            return await inner.ReplaceAsync(meeting, ct);
        }

        public Task<Meeting?> GetAsync(string clientId, string meetingId, CancellationToken ct) => inner.GetAsync(clientId, meetingId, ct);

        public Task<IReadOnlyList<Meeting>> ListForLeadAsync(string clientId, string leadId, CancellationToken ct) => inner.ListForLeadAsync(clientId, leadId, ct);

        public Task<Meeting?> FindByExternalIdAsync(string clientId, string externalId, CancellationToken ct) => inner.FindByExternalIdAsync(clientId, externalId, ct);

        public Task<(Meeting Meeting, bool Created)> AddAsync(Meeting meeting, CancellationToken ct) => inner.AddAsync(meeting, ct);

        public Task<SlotOffer?> GetOfferAsync(string clientId, string leadId, CancellationToken ct) => inner.GetOfferAsync(clientId, leadId, ct);

        public Task SaveOfferAsync(SlotOffer offer, CancellationToken ct) => inner.SaveOfferAsync(offer, ct);

        public Task DeleteOfferAsync(string clientId, string leadId, CancellationToken ct) => inner.DeleteOfferAsync(clientId, leadId, ct);

        public Task<int> CountBookedAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) => inner.CountBookedAsync(clientId, from, to, ct);

        public Task<IReadOnlyList<Meeting>> ListActiveBetweenAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) => inner.ListActiveBetweenAsync(clientId, from, to, ct);
    }
}

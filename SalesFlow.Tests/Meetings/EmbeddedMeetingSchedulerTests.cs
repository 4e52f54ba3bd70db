using SalesFlow.Core.Clients;
using SalesFlow.Core.Meetings;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Infrastructure.Meetings;
using SalesFlow.Tests.Adapters;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Meetings;

/// <summary>SalesFlow's own calendar over a real SQLite meeting store.</summary>
public sealed class EmbeddedMeetingSchedulerTests : IDisposable
{
    // Monday 7 December 2026, 06:00 UTC = 07:00 in Berlin.
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _temp = new();
    private readonly SqliteMeetingStore _store;
    private readonly EmbeddedMeetingScheduler _scheduler;

    public EmbeddedMeetingSchedulerTests()
    {
        _store = new SqliteMeetingStore(_temp.Db);
        _scheduler = new EmbeddedMeetingScheduler(_store, new ManualClock(Monday));
    }

    public void Dispose() => _temp.Dispose();

    private static Client Acme(string? zone = "Europe/Berlin", int? duration = null) =>
        new("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49", "UTC", new ClientConfig(TimeZone: zone, CalCom: duration is null ? null : new CalComConfig(DurationMinutes: duration)));

    private static DateTimeOffset Berlin(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(1));

    private static BookingRequest Request(DateTimeOffset start, string key = "book/lead_1/1", int minutes = 30) =>
        new(key, new MeetingSlot(start, start.AddMinutes(minutes)), "Anna", "anna@example.com", null, "Europe/Berlin", "de", null);

    [Fact]
    public async Task Slots_are_weekday_business_hours_in_the_clients_zone_of_thirty_minutes()
    {
        var slots = await _scheduler.FindSlotsAsync(Acme(), Monday, Monday.AddDays(7), "Europe/Berlin", default);

        Assert.Equal(5 * 16, slots.Count);
        Assert.Equal(Berlin(7, 9), slots[0].Start);
        Assert.Equal(Berlin(7, 16, 30), slots[15].Start);
        Assert.Equal(Berlin(7, 17), slots[15].End);
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromMinutes(30), s.End - s.Start));
        Assert.DoesNotContain(slots, s => s.Start.ToOffset(TimeSpan.FromHours(1)).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    [Fact]
    public async Task Slots_are_of_the_configured_length_and_in_utc_without_a_zone()
    {
        var slots = await _scheduler.FindSlotsAsync(Acme(zone: null, duration: 60), Monday, Monday.AddDays(1), "UTC", default);

        Assert.Equal([9, 10, 11, 12, 13, 14, 15, 16], slots.Select(s => s.Start.UtcDateTime.Hour));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromHours(1), s.End - s.Start));
    }

    [Fact]
    public async Task Active_meetings_of_the_client_are_not_offered_but_cancelled_ones_and_other_clients_are()
    {
        await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_a", Berlin(7, 9)), default);
        await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_b", Berlin(7, 10), status: MeetingStatus.Requested), default);
        await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_c", Berlin(7, 11), status: MeetingStatus.Cancelled), default);
        await _store.AddAsync(MeetingStoreContractTests.NewMeeting("globex", "lead_d", Berlin(7, 12)), default);

        var starts = (await _scheduler.FindSlotsAsync(Acme(), Monday, Berlin(7, 13), "Europe/Berlin", default)).Select(s => s.Start).ToList();

        Assert.Equal([Berlin(7, 9, 30), Berlin(7, 10, 30), Berlin(7, 11), Berlin(7, 11, 30), Berlin(7, 12), Berlin(7, 12, 30)], starts);
    }

    [Fact]
    public async Task Slots_in_the_past_are_not_offered()
    {
        var scheduler = new EmbeddedMeetingScheduler(_store, new ManualClock(Berlin(7, 15, 10)));

        var slots = await scheduler.FindSlotsAsync(Acme(), Monday, Berlin(8, 0), "Europe/Berlin", default);

        Assert.Equal([Berlin(7, 15, 30), Berlin(7, 16), Berlin(7, 16, 30)], slots.Select(s => s.Start));
    }

    [Fact]
    public async Task A_free_slot_is_booked_with_an_id_derived_from_the_idempotency_key()
    {
        var first = await _scheduler.BookAsync(Acme(), Request(Berlin(8, 10)), default);
        var again = await _scheduler.BookAsync(Acme(), Request(Berlin(8, 10)), default);

        Assert.Equal(MeetingProviders.Embedded, first.Provider);
        Assert.StartsWith("emb_", first.ExternalId, StringComparison.Ordinal);
        Assert.Equal(first, again);
        Assert.Equal((Berlin(8, 10), Berlin(8, 10, 30)), (first.Start, first.End));
    }

    [Fact]
    public async Task A_slot_another_meeting_holds_is_refused_permanently()
    {
        await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_other", Berlin(8, 10)), default);

        var refused = await Assert.ThrowsAsync<SchedulingException>(() => _scheduler.BookAsync(Acme(), Request(Berlin(8, 10)), default));

        Assert.True(refused.Permanent);
    }

    [Fact]
    public async Task A_time_outside_business_hours_is_refused()
    {
        var evening = await Assert.ThrowsAsync<SchedulingException>(() => _scheduler.BookAsync(Acme(), Request(Berlin(8, 18)), default));
        var saturday = await Assert.ThrowsAsync<SchedulingException>(() => _scheduler.BookAsync(Acme(), Request(Berlin(12, 10)), default));
        var offGrid = await Assert.ThrowsAsync<SchedulingException>(() => _scheduler.BookAsync(Acme(), Request(Berlin(8, 10, 10)), default));

        Assert.All([evening, saturday, offGrid], e => Assert.True(e.Permanent));
    }

    [Fact]
    public async Task The_callers_own_requested_row_does_not_block_its_booking_and_of_two_racing_requests_the_first_recorded_wins()
    {
        var t0 = Monday;
        var (mine, _) = await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_a", Berlin(8, 10), key: "book/lead_a/1", status: MeetingStatus.Requested) with { CreatedAt = t0 }, default);
        await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_b", Berlin(8, 10), key: "book/lead_b/1", status: MeetingStatus.Requested) with { CreatedAt = t0.AddSeconds(1) }, default);

        var booked = await _scheduler.BookAsync(Acme(), Request(Berlin(8, 10), key: mine.IdempotencyKey), default);
        var loser = await Assert.ThrowsAsync<SchedulingException>(() => _scheduler.BookAsync(Acme(), Request(Berlin(8, 10), key: "book/lead_b/1"), default));

        Assert.Equal(Berlin(8, 10), booked.Start);
        Assert.True(loser.Permanent);
    }

    [Fact]
    public async Task Reconciliation_finds_only_a_booking_the_store_recorded()
    {
        var request = Request(Berlin(8, 10));
        Assert.Null(await _scheduler.FindBookingAsync(Acme(), request, default));

        var booked = await _scheduler.BookAsync(Acme(), request, default);
        await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_1", booked.Start, key: request.IdempotencyKey, externalId: booked.ExternalId) with { Provider = MeetingProviders.Embedded, Location = null }, default);

        Assert.Equal(booked, await _scheduler.FindBookingAsync(Acme(), request, default));
    }

    [Fact]
    public async Task Rescheduling_moves_to_a_free_slot_keeping_the_id_and_refuses_a_taken_one()
    {
        var (meeting, _) = await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_a", Berlin(8, 10), externalId: "emb_x") with { Provider = MeetingProviders.Embedded }, default);
        await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_b", Berlin(8, 14)), default);

        var moved = await _scheduler.RescheduleAsync(Acme(), meeting, new MeetingSlot(Berlin(8, 10, 30), Berlin(8, 11)), null, default);
        var refused = await Assert.ThrowsAsync<SchedulingException>(() => _scheduler.RescheduleAsync(Acme(), meeting, new MeetingSlot(Berlin(8, 14), Berlin(8, 14, 30)), null, default));

        Assert.Equal(("emb_x", Berlin(8, 10, 30)), (moved.ExternalId, moved.Start));
        Assert.True(refused.Permanent);
    }

    [Fact]
    public async Task The_routing_scheduler_uses_calcom_only_for_a_complete_calcom_config_and_moves_a_meeting_where_it_was_booked()
    {
        Assert.Equal(MeetingProviders.Embedded, RoutingMeetingScheduler.ProviderFor(Acme()));
        Assert.Equal(MeetingProviders.Embedded, RoutingMeetingScheduler.ProviderFor(Acme() with { Config = new ClientConfig(CalCom: new CalComConfig(ApiKey: "cal_live_x")) }));
        Assert.Equal(MeetingProviders.CalCom, RoutingMeetingScheduler.ProviderFor(Acme() with { Config = new ClientConfig(CalCom: new CalComConfig("cal_live_x", 42)) }));

        var routing = new RoutingMeetingScheduler(null!, _scheduler);
        var (meeting, _) = await _store.AddAsync(MeetingStoreContractTests.NewMeeting("acme", "lead_a", Berlin(8, 10), externalId: "emb_y") with { Provider = MeetingProviders.Embedded }, default);
        var calComClient = Acme() with { Config = new ClientConfig(TimeZone: "Europe/Berlin", CalCom: new CalComConfig("cal_live_x", 42)) };

        var moved = await routing.RescheduleAsync(calComClient, meeting, new MeetingSlot(Berlin(9, 9), Berlin(9, 9, 30)), null, default);

        Assert.Equal(MeetingProviders.Embedded, moved.Provider);
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Meetings;
using SalesFlow.Functions.Extensions;
using SalesFlow.Infrastructure.Meetings;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Meetings;

/// <summary>
/// <see cref="CalComScheduler"/> as the app registers it (<see cref="MeetingsExtensions.AddMeetingCalendar"/>: named
/// HttpClient, resilience handler, CalCom:ApiBaseUrl) against an in-test server speaking Cal.com API v2.
/// </summary>
public sealed class CalComSchedulerAgainstApiServerTests : IAsyncLifetime
{
    private const string ApiKey = "cal_live_0123456789abcdef";
    private const long EventTypeId = 1234567;

    private static readonly DateTimeOffset Day = new(2030, 3, 12, 0, 0, 0, TimeSpan.Zero); // a Tuesday

    private CalComApiServer _calCom = null!;
    private ServiceProvider _services = null!;

    private CalComScheduler Scheduler => _services.GetRequiredService<CalComScheduler>();

    private static Client Acme(string apiKey = ApiKey, int? duration = 45) =>
        new("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49", "Europe/Berlin", new ClientConfig(CalCom: new CalComConfig(apiKey, EventTypeId, duration, "whsec")));

    private static BookingRequest Request(DateTimeOffset start, string? email = "anna@example.com", string? phone = "+4915112345678", string key = "book/lead_1/4") =>
        new(key, new MeetingSlot(start, start.AddMinutes(45)), "Anna Schmidt", email, phone, "Europe/Berlin", "de", "Wants a demo for 12 users");

    public async Task InitializeAsync()
    {
        _calCom = await CalComApiServer.StartAsync(ApiKey, EventTypeId, lengthMinutes: 45);
        foreach (var hour in new[] { 8, 9, 10, 13 })
        {
            _calCom.OpenSlots.Add(Day.AddHours(hour));
        }

        _calCom.OpenSlots.Add(Day.AddDays(1).AddHours(9));
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CalCom:ApiBaseUrl"] = _calCom.BaseUrlSetting }).Build());
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddMeetingCalendar();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _calCom.DisposeAsync();
    }

    [Fact]
    public async Task Slots_come_from_get_v2_slots_with_the_key_the_slots_version_and_the_event_type_earliest_first_of_the_clients_length()
    {
        var slots = await Scheduler.FindSlotsAsync(Acme(), Day.AddHours(9), Day.AddDays(2), "Europe/Berlin", default);

        Assert.Equal([Day.AddHours(9), Day.AddHours(10), Day.AddHours(13), Day.AddDays(1).AddHours(9)], slots.Select(s => s.Start));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromMinutes(45), s.End - s.Start));
        var call = Assert.Single(_calCom.Requests("GET", "/v2/slots"));
        Assert.Equal($"Bearer {ApiKey}", call.Headers["Authorization"]);
        Assert.Equal(CalComApiServer.SlotsVersion, call.Headers["cal-api-version"]);
        Assert.Contains($"eventTypeId={EventTypeId}", call.Query, StringComparison.Ordinal);
        Assert.Contains("timeZone=Europe%2FBerlin", call.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_booking_posts_the_utc_start_the_event_type_and_the_attendee_and_returns_calcoms_booking()
    {
        var booked = await Scheduler.BookAsync(Acme(), Request(Day.AddHours(10)), default);

        var stored = Assert.Single(_calCom.Bookings);
        Assert.Equal((MeetingProviders.CalCom, stored["uid"]!.GetValue<string>(), Day.AddHours(10), Day.AddHours(10).AddMinutes(45)), (booked.Provider, booked.ExternalId, booked.Start, booked.End));
        Assert.StartsWith("https://app.cal.com/video/", booked.Location, StringComparison.Ordinal);
        var call = Assert.Single(_calCom.Requests("POST", "/v2/bookings"));
        Assert.Equal(CalComApiServer.BookingsVersion, call.Headers["cal-api-version"]);
        Assert.Equal($"Bearer {ApiKey}", call.Headers["Authorization"]);
        var body = call.Json!;
        Assert.Equal("2030-03-12T10:00:00Z", body["start"]!.GetValue<string>());
        Assert.Equal(EventTypeId, body["eventTypeId"]!.GetValue<long>());
        Assert.Equal(("Anna Schmidt", "anna@example.com", "Europe/Berlin", "de", "+4915112345678"), (
            body["attendee"]!["name"]!.GetValue<string>(), body["attendee"]!["email"]!.GetValue<string>(), body["attendee"]!["timeZone"]!.GetValue<string>(),
            body["attendee"]!["language"]!.GetValue<string>(), body["attendee"]!["phoneNumber"]!.GetValue<string>()));
        Assert.Equal("book/lead_1/4", body["metadata"]![CalComScheduler.IdempotencyMetadataKey]!.GetValue<string>());
        Assert.Equal("Wants a demo for 12 users", body["bookingFieldsResponses"]!["notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_lead_with_only_a_phone_number_is_booked_as_a_phone_attendee_without_an_email()
    {
        var booked = await Scheduler.BookAsync(Acme(), Request(Day.AddHours(9), email: null), default);

        var attendee = Assert.Single(_calCom.Requests("POST", "/v2/bookings")).Json!["attendee"]!.AsObject();
        Assert.False(attendee.ContainsKey("email"));
        Assert.Equal("+4915112345678", attendee["phoneNumber"]!.GetValue<string>());
        Assert.Equal(Day.AddHours(9), booked.Start);
    }

    [Fact]
    public async Task A_lead_with_neither_email_nor_phone_is_refused_permanently_without_a_call()
    {
        var refused = await Assert.ThrowsAsync<SchedulingException>(() => Scheduler.BookAsync(Acme(), Request(Day.AddHours(9), email: null, phone: null), default));

        Assert.True(refused.Permanent);
        Assert.Empty(_calCom.Received);
    }

    [Fact]
    public async Task A_taken_slot_is_a_permanent_refusal_with_calcoms_message()
    {
        _calCom.AddBooking(Day.AddHours(13), "someone@example.com");

        var refused = await Assert.ThrowsAsync<SchedulingException>(() => Scheduler.BookAsync(Acme(), Request(Day.AddHours(13)), default));

        Assert.True(refused.Permanent);
        Assert.Contains(CalComApiServer.SlotTakenMessage, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_is_transient_with_calcoms_retry_after_and_the_booking_is_sent_once()
    {
        _calCom.Enqueue(CalComApiServer.TooManyRequests(30));

        var refused = await Assert.ThrowsAsync<SchedulingException>(() => Scheduler.BookAsync(Acme(), Request(Day.AddHours(10)), default));

        Assert.False(refused.Permanent);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);
        Assert.Single(_calCom.Requests("POST", "/v2/bookings"));
    }

    [Fact]
    public async Task A_server_error_on_a_booking_is_transient_and_not_retried_because_a_retry_could_book_twice()
    {
        _calCom.Enqueue(CalComApiServer.InternalError());

        var refused = await Assert.ThrowsAsync<SchedulingException>(() => Scheduler.BookAsync(Acme(), Request(Day.AddHours(10)), default));

        Assert.False(refused.Permanent);
        Assert.Single(_calCom.Requests("POST", "/v2/bookings"));
        Assert.Empty(_calCom.Bookings);
    }

    [Fact]
    public async Task A_slots_read_is_retried_after_server_errors()
    {
        _calCom.Enqueue(CalComApiServer.InternalError(), CalComApiServer.InternalError());

        var slots = await Scheduler.FindSlotsAsync(Acme(), Day, Day.AddDays(1), "UTC", default);

        Assert.Equal(4, slots.Count);
        Assert.Equal(3, _calCom.Requests("GET", "/v2/slots").Count);
    }

    [Fact]
    public async Task A_wrong_api_key_is_a_permanent_refusal()
    {
        var refused = await Assert.ThrowsAsync<SchedulingException>(() => Scheduler.FindSlotsAsync(Acme(apiKey: "cal_live_wrong"), Day, Day.AddDays(1), "UTC", default));

        Assert.True(refused.Permanent);
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_calcom_is_transient()
    {
        var port = _calCom.BaseUrl.Port;
        await _calCom.DisposeAsync();
        _calCom = await CalComApiServer.StartAsync(ApiKey, EventTypeId);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CalCom:ApiBaseUrl"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" }).Build());
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddMeetingCalendar();
        await using var provider = services.BuildServiceProvider();

        var refused = await Assert.ThrowsAsync<SchedulingException>(() => provider.GetRequiredService<CalComScheduler>().BookAsync(Acme(), Request(Day.AddHours(9)), default));

        Assert.False(refused.Permanent);
    }

    [Fact]
    public async Task Reconciliation_finds_the_booking_of_this_attendee_at_this_start_and_nothing_elsewhere()
    {
        var booked = await Scheduler.BookAsync(Acme(), Request(Day.AddHours(10)), default);
        _calCom.AddBooking(Day.AddHours(9), "someone@example.com");

        var found = await Scheduler.FindBookingAsync(Acme(), Request(Day.AddHours(10)), default);
        var elsewhere = await Scheduler.FindBookingAsync(Acme(), Request(Day.AddHours(9)), default);

        Assert.Equal(booked, found);
        Assert.Null(elsewhere);
        var call = _calCom.Requests("GET", "/v2/bookings")[0];
        Assert.Equal(CalComApiServer.BookingsVersion, call.Headers["cal-api-version"]);
        Assert.Contains("attendeeEmail=anna%40example.com", call.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconciliation_finds_a_phone_only_booking_by_its_key()
    {
        var booked = await Scheduler.BookAsync(Acme(), Request(Day.AddHours(10), email: null), default);

        Assert.Equal(booked, await Scheduler.FindBookingAsync(Acme(), Request(Day.AddHours(10), email: null), default));
    }

    [Fact]
    public async Task Cancelling_cancels_the_booking_and_cancelling_again_is_no_error()
    {
        var booked = await Scheduler.BookAsync(Acme(), Request(Day.AddHours(10)), default);
        var meeting = Meeting(booked);

        await Scheduler.CancelAsync(Acme(), meeting, "Lead asked to cancel", default);
        await Scheduler.CancelAsync(Acme(), meeting, "Lead asked to cancel", default);

        var stored = Assert.Single(_calCom.Bookings);
        Assert.Equal(("cancelled", "Lead asked to cancel"), (stored["status"]!.GetValue<string>(), stored["cancellationReason"]!.GetValue<string>()));
        Assert.Equal(CalComApiServer.BookingsVersion, _calCom.Requests("POST", "/v2/bookings/")[0].Headers["cal-api-version"]);
    }

    [Fact]
    public async Task Rescheduling_returns_calcoms_new_booking_with_its_new_uid()
    {
        var booked = await Scheduler.BookAsync(Acme(), Request(Day.AddHours(10)), default);

        var moved = await Scheduler.RescheduleAsync(Acme(), Meeting(booked), new MeetingSlot(Day.AddHours(13), Day.AddHours(13).AddMinutes(45)), "Lead is busy then", default);

        Assert.NotEqual(booked.ExternalId, moved.ExternalId);
        Assert.Equal(Day.AddHours(13), moved.Start);
        var call = Assert.Single(_calCom.Requests("POST", $"/v2/bookings/{booked.ExternalId}/reschedule"));
        Assert.Equal("2030-03-12T13:00:00Z", call.Json!["start"]!.GetValue<string>());
    }

    private static Meeting Meeting(BookedMeeting booked) => new()
    {
        Id = "mtg_1",
        ClientId = "acme",
        LeadId = "lead_1",
        Provider = MeetingProviders.CalCom,
        ExternalId = booked.ExternalId,
        Start = booked.Start,
        End = booked.End,
        TimeZone = "Europe/Berlin",
        Language = "de",
        Status = MeetingStatus.Booked,
        IdempotencyKey = "book/lead_1/4",
    };
}

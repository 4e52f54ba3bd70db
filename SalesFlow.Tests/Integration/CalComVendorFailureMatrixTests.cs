using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Meetings;
using SalesFlow.Functions.Extensions;
using SalesFlow.Infrastructure.Meetings;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Integration;

/// <summary>
/// Issue 16's vendor failure matrix for Cal.com, generated over the failure kinds, with <see cref="CalComScheduler"/> as
/// the app registers it (<see cref="MeetingsExtensions.AddMeetingCalendar"/>: its resilience handler retries reads only)
/// against the in-test Cal.com. Reading slots: a transient failure is retried (Retry-After as seconds or date) and the
/// slots come back; one that stays or an unreadable answer is a transient <see cref="SchedulingException"/> (the turn
/// then says the calendar is down, no times invented); a refusal is permanent. Booking: never repeated by the client;
/// the retry as <see cref="MeetingService"/> does it (find the booking by its key, else book) leaves exactly one booking,
/// also when Cal.com booked and the answer was lost or unreadable. A taken slot is refused at once.
/// </summary>
public sealed class CalComVendorFailureMatrixTests : IAsyncLifetime
{
    private const string ApiKey = "cal_live_matrix0123456789";
    private const long EventTypeId = 7654321;
    private static readonly DateTimeOffset Day = new(2030, 3, 12, 0, 0, 0, TimeSpan.Zero);

    private CalComApiServer _calCom = null!;
    private ServiceProvider _services = null!;

    public enum Failure
    {
        ServerError,
        HtmlErrorPage,
        RetryAfterSeconds,
        RetryAfterHttpDate,
        StaysDown,
        ConnectionReset,
        InvalidJsonOn2xx,
        WrongShapeOn2xx,
        PermanentRefusal,
    }

    public static TheoryData<Failure> Cells() => [.. Enum.GetValues<Failure>()];

    private CalComScheduler Scheduler => _services.GetRequiredService<CalComScheduler>();

    private static Client Acme() =>
        new("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49", "Europe/Berlin", new ClientConfig(CalCom: new CalComConfig(ApiKey, EventTypeId, 30, "whsec")));

    public async Task InitializeAsync()
    {
        _calCom = await CalComApiServer.StartAsync(ApiKey, EventTypeId);
        _calCom.OpenSlots.Add(Day.AddHours(9));
        _calCom.OpenSlots.Add(Day.AddHours(10));
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

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Every_slots_read_failure_is_retried_or_reported_as_the_calendar_being_down_never_as_no_times(Failure failure)
    {
        _calCom.EnqueueWhen(r => r.Path == "/v2/slots", failure switch
        {
            Failure.ServerError => [CalComApiServer.InternalError()],
            Failure.HtmlErrorPage => [VendorResponse.HtmlPage(502)],
            Failure.RetryAfterSeconds => [TooManyRequests("1")],
            Failure.RetryAfterHttpDate => [TooManyRequests(DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture))],
            Failure.StaysDown => [CalComApiServer.InternalError(), CalComApiServer.InternalError(), CalComApiServer.InternalError()],
            Failure.ConnectionReset => [VendorResponse.ConnectionReset()],
            Failure.InvalidJsonOn2xx => [VendorResponse.InvalidJson(200)],
            Failure.WrongShapeOn2xx => [new VendorResponse(200, """{"status":"success","data":[{"start":"2030-03-12T09:00:00Z"}]}""")],
            Failure.PermanentRefusal => [CalComApiServer.Error(403, "ForbiddenException", "Event type not owned by this key")],
            _ => throw new ArgumentOutOfRangeException(nameof(failure)),
        });

        var read = () => Scheduler.FindSlotsAsync(Acme(), Day, Day.AddDays(1), "UTC", default);

        switch (failure)
        {
            case Failure.ServerError or Failure.HtmlErrorPage or Failure.RetryAfterSeconds or Failure.RetryAfterHttpDate or Failure.ConnectionReset:
                Assert.Equal([Day.AddHours(9), Day.AddHours(10)], (await read()).Select(s => s.Start));
                Assert.Equal(2, _calCom.Requests("GET", "/v2/slots").Count);
                break;
            case Failure.PermanentRefusal:
                Assert.True((await Assert.ThrowsAsync<SchedulingException>(read)).Permanent);
                Assert.Single(_calCom.Requests("GET", "/v2/slots"));
                break;
            default:
                var down = await Assert.ThrowsAsync<SchedulingException>(read);
                Assert.False(down.Permanent, down.Message);
                Assert.Equal(failure == Failure.StaysDown ? 3 : 1, _calCom.Requests("GET", "/v2/slots").Count);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Every_booking_failure_ends_with_exactly_one_booking_when_retried_the_way_the_meeting_service_does(Failure failure)
    {
        var request = new BookingRequest("book/lead_matrix/" + failure, new MeetingSlot(Day.AddHours(10), Day.AddHours(10).AddMinutes(30)), "Anna Schmidt", "anna@example.com", null, "Europe/Berlin", "de", null);
        var acted = new VendorResponse(201) { AfterActing = true };
        _calCom.EnqueueWhen(r => r.Method == "POST" && r.Path == "/v2/bookings", failure switch
        {
            Failure.ServerError => [CalComApiServer.InternalError()],
            Failure.HtmlErrorPage => [VendorResponse.HtmlPage(502)],
            Failure.RetryAfterSeconds => [TooManyRequests("1")],
            Failure.RetryAfterHttpDate => [TooManyRequests(DateTimeOffset.UtcNow.AddSeconds(2).ToString("r", CultureInfo.InvariantCulture))],
            Failure.StaysDown => [CalComApiServer.InternalError()],
            Failure.ConnectionReset => [VendorResponse.ConnectionReset(201) with { AfterActing = true }],
            Failure.InvalidJsonOn2xx => [VendorResponse.InvalidJson(201) with { AfterActing = true }],
            Failure.WrongShapeOn2xx => [acted with { Json = """{"status":"success","data":{"id":1}}""" }],
            Failure.PermanentRefusal => [CalComApiServer.SlotTaken()],
            _ => throw new ArgumentOutOfRangeException(nameof(failure)),
        });
        if (failure == Failure.WrongShapeOn2xx)
        {
            // The list read of the retry answers in another shape too: taken for "not booked" it would book twice.
            _calCom.EnqueueWhen(r => r.Method == "GET" && r.Path == "/v2/bookings", new VendorResponse(200, """{"status":"success","data":{"bookings":"later"}}"""));
        }

        var first = await Assert.ThrowsAsync<SchedulingException>(() => Scheduler.BookAsync(Acme(), request, default));
        Assert.Single(_calCom.Requests("POST", "/v2/bookings")); // a booking is never sent twice by the client
        if (failure == Failure.PermanentRefusal)
        {
            Assert.True(first.Permanent);
            Assert.Contains(CalComApiServer.SlotTakenMessage, first.Message, StringComparison.Ordinal);
            Assert.Empty(_calCom.Bookings);
            return;
        }

        Assert.False(first.Permanent, first.Message);
        BookedMeeting? booked = null;
        for (var retry = 1; booked is null; retry++)
        {
            Assert.True(retry <= 2, "still not booked after two retries");
            try
            {
                booked = await Scheduler.FindBookingAsync(Acme(), request, default) ?? await Scheduler.BookAsync(Acme(), request, default);
            }
            catch (SchedulingException e) when (!e.Permanent)
            {
                // the meeting stays requested; the next run tries again
            }
        }

        var booking = Assert.Single(_calCom.Bookings);
        Assert.Equal(booking["uid"]!.GetValue<string>(), booked.ExternalId);
        Assert.Equal(Day.AddHours(10), booked.Start);
    }

    private static VendorResponse TooManyRequests(string retryAfter) =>
        CalComApiServer.Error(429, "ThrottlerException", "Too Many Requests", new Dictionary<string, string> { ["Retry-After"] = retryAfter });
}

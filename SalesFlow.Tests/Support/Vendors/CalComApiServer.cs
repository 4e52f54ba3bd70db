using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;

namespace SalesFlow.Tests.Support.Vendors;

/// <summary>
/// Cal.com API v2 for one account (an API key, one event type), with an open calendar the test sets
/// (<see cref="OpenSlots"/>) and the bookings made through it. Wire shapes and where they are documented:
/// <list type="bullet">
/// <item>Authentication: <c>Authorization: Bearer cal_…</c>; every endpoint needs its <c>cal-api-version</c> header, without
/// the right one the request "will fail with a 404 error" (cal.com/docs/api-reference/v2, e.g. bookings-attendees/add-an-attendee-to-a-booking).</item>
/// <item><c>GET /v2/slots?eventTypeId&amp;start&amp;end&amp;timeZone</c>, cal-api-version 2024-09-04: <c>{"status":"success","data":{"YYYY-MM-DD":[{"start":"ISO 8601 with offset"}]}}</c>,
/// starts in the requested zone (cal.com/docs/api-reference/v2/slots; event-type pages "Check availability").</item>
/// <item><c>POST /v2/bookings</c>, 2024-08-13: body <c>{start (UTC ISO), eventTypeId, attendee:{name, email?, timeZone, phoneNumber?, language?}, metadata?, bookingFieldsResponses?}</c>,
/// e-mail or phone required (CreateBookingInput_2024_08_13, packages/platform/types/bookings/2024-08-13/inputs/create-booking.input.ts);
/// 201 <c>{"status":"success","data":{id, uid, title, status:"accepted", start, end, duration, eventTypeId, location, meetingUrl, attendees, metadata, createdAt}}</c>
/// (BookingOutput_2024_08_13, …/2024-08-13/outputs/booking.output.ts).</item>
/// <item><c>GET /v2/bookings?eventTypeId&amp;afterStart&amp;beforeEnd&amp;attendeeEmail</c>: <c>{"status":"success","data":[booking…]}</c>; <c>GET /v2/bookings/{uid}</c>: one booking.</item>
/// <item><c>POST /v2/bookings/{uid}/cancel</c> <c>{cancellationReason}</c>: the booking with status "cancelled"; a second cancel is 400.
/// <c>POST /v2/bookings/{uid}/reschedule</c> <c>{start, reschedulingReason}</c>: 201 with the new booking (a new uid, <c>rescheduledFromUid</c>), the old one cancelled.</item>
/// <item>Errors: <c>{"status":"error","timestamp","path","error":{"code","message"}}</c> (apps/api/v2/src/filters/http-exception.filter.ts);
/// a taken slot is 400 BadRequestException "User either already has booking at this time or is not available"; throttling 429 with Retry-After.</item>
/// </list>
/// </summary>
public sealed class CalComApiServer : VendorServer
{
    public const string SlotsVersion = "2024-09-04";
    public const string BookingsVersion = "2024-08-13";
    public const string SlotTakenMessage = "User either already has booking at this time or is not available";

    private readonly string _apiKey;
    private readonly long _eventTypeId;
    private readonly int _lengthMinutes;
    private readonly ConcurrentDictionary<string, JsonObject> _bookings = new();
    private int _nextId = 1000;

    private CalComApiServer(string apiKey, long eventTypeId, int lengthMinutes)
    {
        _apiKey = apiKey;
        _eventTypeId = eventTypeId;
        _lengthMinutes = lengthMinutes;
    }

    public static Task<CalComApiServer> StartAsync(string apiKey, long eventTypeId, int lengthMinutes = 30) => StartAsync(new CalComApiServer(apiKey, eventTypeId, lengthMinutes));

    /// <summary>The slot starts the event type has free (before bookings take them).</summary>
    public ConcurrentBag<DateTimeOffset> OpenSlots { get; } = [];

    public IReadOnlyCollection<JsonObject> Bookings => [.. _bookings.Values];

    public IReadOnlyList<ReceivedRequest> Requests(string method, string pathStart) =>
        [.. Received.Where(r => r.Method == method && r.Path.StartsWith(pathStart, StringComparison.Ordinal))];

    public static VendorResponse Error(int status, string code, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new JsonObject
        {
            ["status"] = "error",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["path"] = "/v2/bookings",
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
        }.ToJsonString(), headers);

    public static VendorResponse TooManyRequests(int retryAfterSeconds) =>
        Error(429, "ThrottlerException", "Too Many Requests", new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) });

    public static VendorResponse InternalError() => Error(500, "InternalServerErrorException", "Internal server error");

    public static VendorResponse SlotTaken() => Error(400, "BadRequestException", SlotTakenMessage);

    /// <summary>A booking made in Cal.com itself (the host's own page), as the test needs it to exist.</summary>
    public JsonObject AddBooking(DateTimeOffset start, string email, string? uid = null)
    {
        var booking = NewBooking(uid ?? NewUid(), start, new JsonObject { ["name"] = "Someone", ["email"] = email, ["timeZone"] = "UTC" }, null);
        _bookings[booking["uid"]!.GetValue<string>()] = booking;
        return booking;
    }

    protected override VendorResponse? Reject(ReceivedRequest request)
    {
        var (route, _) = Route(request);
        if (route is null)
        {
            return Error(404, "NotFoundException", $"Cannot {request.Method} {request.Path}");
        }

        if (BearerToken(request) != _apiKey)
        {
            return Error(401, "UnauthorizedException", "Invalid Access Token.");
        }

        var version = route == "slots" ? SlotsVersion : BookingsVersion;
        if (!request.Headers.TryGetValue("cal-api-version", out var sent) || sent != version)
        {
            return Error(404, "NotFoundException", $"{request.Method} {request.Path} needs the header cal-api-version: {version}.");
        }

        return route == "create" ? CheckCreate(request) : null;
    }

    protected override VendorResponse Success(ReceivedRequest request)
    {
        var (route, uid) = Route(request);
        var query = HttpUtility.ParseQueryString(request.Query);
        lock (_bookings)
        {
            return route switch
            {
                "slots" => Slots(query),
                "create" => Create(request.Json!.AsObject()),
                "list" => Ok(200, new JsonArray([.. List(query).Select(b => (JsonNode)b.DeepClone())])),
                "get" => _bookings.TryGetValue(uid!, out var found) ? Ok(200, found.DeepClone()) : Error(404, "NotFoundException", $"Booking with uid={uid} was not found in the database"),
                "cancel" => Cancel(uid!, request.Json?["cancellationReason"]?.GetValue<string>()),
                _ => Reschedule(uid!, request.Json!.AsObject()),
            };
        }
    }

    private static (string? Route, string? Uid) Route(ReceivedRequest request)
    {
        var parts = request.Path.Trim('/').Split('/');
        return (request.Method, parts) switch
        {
            ("GET", ["v2", "slots"]) => ("slots", null),
            ("POST", ["v2", "bookings"]) => ("create", null),
            ("GET", ["v2", "bookings"]) => ("list", null),
            ("GET", ["v2", "bookings", var uid]) => ("get", uid),
            ("POST", ["v2", "bookings", var uid, "cancel"]) => ("cancel", uid),
            ("POST", ["v2", "bookings", var uid, "reschedule"]) => ("reschedule", uid),
            _ => (null, null),
        };
    }

    private VendorResponse? CheckCreate(ReceivedRequest request)
    {
        JsonObject body;
        try
        {
            body = request.Json!.AsObject();
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException)
        {
            return Error(400, "BadRequestException", "Invalid JSON body");
        }

        var start = body["start"]?.GetValue<string>();
        if (start is null || !start.EndsWith('Z') || !DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            return Error(400, "BadRequestException", "start must be a valid ISO 8601 date string in UTC");
        }

        if (body["eventTypeId"]?.GetValue<long>() != _eventTypeId)
        {
            return Error(404, "NotFoundException", $"Event type with id={body["eventTypeId"]} was not found.");
        }

        var attendee = body["attendee"] as JsonObject;
        if (attendee?["name"] is null || attendee["timeZone"] is null)
        {
            return Error(400, "BadRequestException", "attendee.name and attendee.timeZone are required");
        }

        return attendee["email"] is null && attendee["phoneNumber"] is null
            ? Error(400, "BadRequestException", "At least one contact method (email or phone number) must be provided")
            : null;
    }

    private VendorResponse Slots(System.Collections.Specialized.NameValueCollection query)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(query["timeZone"] ?? "UTC");
        var from = DateTimeOffset.Parse(query["start"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var to = DateTimeOffset.Parse(query["end"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var days = new JsonObject();
        foreach (var start in Free().Where(s => s >= from && s < to).OrderBy(s => s))
        {
            var local = TimeZoneInfo.ConvertTime(start, zone);
            var day = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (days[day] is not JsonArray slots)
            {
                days[day] = slots = [];
            }

            slots.Add(new JsonObject { ["start"] = local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture) });
        }

        return Ok(200, days);
    }

    private VendorResponse Create(JsonObject body)
    {
        var start = DateTimeOffset.Parse(body["start"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if (!Free().Contains(start))
        {
            return SlotTaken();
        }

        var booking = NewBooking(NewUid(), start, body["attendee"]!.DeepClone().AsObject(), body["metadata"]?.DeepClone());
        _bookings[booking["uid"]!.GetValue<string>()] = booking;
        return Ok(201, booking.DeepClone());
    }

    private IEnumerable<JsonObject> List(System.Collections.Specialized.NameValueCollection query) =>
        _bookings.Values.Where(b =>
            (query["eventTypeId"] is not { } type || b["eventTypeId"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture) == type)
            && (query["afterStart"] is not { } after || Time(b, "start") >= DateTimeOffset.Parse(after, CultureInfo.InvariantCulture))
            && (query["beforeEnd"] is not { } before || Time(b, "end") <= DateTimeOffset.Parse(before, CultureInfo.InvariantCulture))
            && (query["attendeeEmail"] is not { } email || b["attendees"]!.AsArray().Any(a => a?["email"]?.GetValue<string>() == email)));

    private VendorResponse Cancel(string uid, string? reason)
    {
        if (!_bookings.TryGetValue(uid, out var booking))
        {
            return Error(404, "NotFoundException", $"Booking with uid={uid} was not found in the database");
        }

        if (booking["status"]!.GetValue<string>() == "cancelled")
        {
            return Error(400, "BadRequestException", "This booking has already been cancelled.");
        }

        booking["status"] = "cancelled";
        booking["cancellationReason"] = reason;
        return Ok(200, booking.DeepClone());
    }

    private VendorResponse Reschedule(string uid, JsonObject body)
    {
        if (!_bookings.TryGetValue(uid, out var old) || old["status"]!.GetValue<string>() == "cancelled")
        {
            return Error(400, "BadRequestException", $"Booking with uid={uid} can't be rescheduled.");
        }

        var start = DateTimeOffset.Parse(body["start"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if (!Free().Contains(start))
        {
            return SlotTaken();
        }

        old["status"] = "cancelled";
        var moved = NewBooking(NewUid(), start, old["attendees"]![0]!.DeepClone().AsObject(), old["metadata"]?.DeepClone());
        moved["rescheduledFromUid"] = uid;
        moved["reschedulingReason"] = body["reschedulingReason"]?.DeepClone();
        _bookings[moved["uid"]!.GetValue<string>()] = moved;
        return Ok(201, moved.DeepClone());
    }

    private IEnumerable<DateTimeOffset> Free() =>
        OpenSlots.Where(s => !_bookings.Values.Any(b => b["status"]!.GetValue<string>() != "cancelled" && Time(b, "start") == s));

    private JsonObject NewBooking(string uid, DateTimeOffset start, JsonObject attendee, JsonNode? metadata) => new()
    {
        ["id"] = Interlocked.Increment(ref _nextId),
        ["uid"] = uid,
        ["title"] = $"Demo between Host and {attendee["name"]}",
        ["status"] = "accepted",
        ["start"] = start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["end"] = start.AddMinutes(_lengthMinutes).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["duration"] = _lengthMinutes,
        ["eventTypeId"] = _eventTypeId,
        ["eventType"] = new JsonObject { ["id"] = _eventTypeId, ["slug"] = "demo" },
        ["location"] = "https://app.cal.com/video/" + uid,
        ["meetingUrl"] = "https://app.cal.com/video/" + uid,
        ["absentHost"] = false,
        ["hosts"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "Host", ["email"] = "host@example.com", ["timeZone"] = "Europe/Berlin" }),
        ["attendees"] = new JsonArray(WithPlaceholderEmail(attendee)),
        ["guests"] = new JsonArray(),
        ["metadata"] = metadata ?? new JsonObject(),
        ["createdAt"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
    };

    /// <summary>A phone-only attendee is stored under Cal.com's placeholder address &lt;digits&gt;@sms.cal.com (packages/lib/isSmsCalEmail.ts).</summary>
    private static JsonObject WithPlaceholderEmail(JsonObject attendee)
    {
        if (attendee["email"] is null && attendee["phoneNumber"]?.GetValue<string>() is { } phone)
        {
            attendee["email"] = new string([.. phone.Where(char.IsDigit)]) + "@sms.cal.com";
        }

        attendee["absent"] = false;
        return attendee;
    }

    private static string NewUid() => Guid.NewGuid().ToString("N")[..22];

    private static DateTimeOffset Time(JsonObject booking, string name) => DateTimeOffset.Parse(booking[name]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static VendorResponse Ok(int status, JsonNode data) => new(status, new JsonObject { ["status"] = "success", ["data"] = data }.ToJsonString());
}

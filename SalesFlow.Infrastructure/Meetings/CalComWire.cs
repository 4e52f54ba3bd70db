using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Infrastructure.Meetings;

/// <summary>
/// Cal.com API v2 answers. Every success is <c>{"status":"success","data":…}</c>; an error is
/// <c>{"status":"error","timestamp","path","error":{"code","message"}}</c> (apps/api/v2/src/filters/http-exception.filter.ts).
/// Slots (2024-09-04): <c>data</c> maps each date to <c>[{"start":"ISO with offset"}]</c>. A booking (2024-08-13):
/// <c>{"id","uid","start","end","status":"accepted"|"cancelled"|…,"location","meetingUrl","attendees":[{"name","email","phoneNumber"…}],"metadata"}</c>.
/// </summary>
internal static class CalComWire
{
    /// <summary>Cal.com's BookingLanguage values (packages/platform/types/bookings/2024-08-13/inputs/language.ts).</summary>
    private static readonly HashSet<string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        "ar", "ca", "de", "es", "eu", "he", "id", "ja", "lv", "pl", "ro", "sr", "th", "vi", "az", "cs", "el", "es-419", "fi", "hr", "it", "km", "nl",
        "pt", "ru", "sv", "tr", "zh-CN", "bg", "da", "en", "et", "fr", "hu", "iw", "ko", "no", "pt-BR", "sk", "ta", "uk", "zh-TW", "bn",
    };

    public static string? Language(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return null;
        }

        if (Languages.TryGetValue(language, out var exact))
        {
            return exact;
        }

        var primary = language.Split('-', '_')[0];
        return Languages.TryGetValue(primary, out var general) ? general : null;
    }

    /// <summary>The <c>data</c> of a success answer; an answer that is not a JSON object is a transient failure, not "nothing".</summary>
    public static JsonNode? Data(string text, string what)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new SchedulingException($"Cal.com answered {what} with something that is not JSON.", permanent: false, inner: e);
        }

        return root is JsonObject answer
            ? answer["data"]
            : throw new SchedulingException($"Cal.com answered {what} with JSON that is not an object.", permanent: false);
    }

    public static string ErrorMessage(string text)
    {
        try
        {
            var error = JsonNode.Parse(text)?["error"];
            return error?["message"]?.GetValue<string>() ?? error?["code"]?.GetValue<string>() ?? "no error message";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "no error message";
        }
    }

    /// <summary>Every slot start of a 2024-09-04 slots answer, earliest first; a slot without a readable start is left out (never invented).</summary>
    public static IEnumerable<DateTimeOffset> SlotStarts(JsonNode? data) =>
        data is JsonObject days
            ? days.SelectMany(day => day.Value as JsonArray ?? [])
                .Select(slot => Time(Text(slot, "start")))
                .OfType<DateTimeOffset>()
                .OrderBy(start => start)
            : throw new SchedulingException("Cal.com's slots answer has no data object.", permanent: false);

    public static BookedMeeting Booking(JsonNode? data)
    {
        // Recurring bookings answer an array; ours are single, but read the first either way.
        var booking = data is JsonArray { Count: > 0 } many ? many[0] : data;
        return Text(booking, "uid") is { } uid && Time(Text(booking, "start")) is { } start && Time(Text(booking, "end")) is { } end
            ? new BookedMeeting(MeetingProviders.CalCom, uid, start, end, Location(booking!))
            : throw new SchedulingException("Cal.com's booking answer has no uid, start or end it can be read by.", permanent: false);
    }

    public static bool IsCancelled(JsonNode? booking) =>
        string.Equals(Text(booking, "status"), "cancelled", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The active booking of the list that is this request's: same start, and our idempotency key, or the attendee's
    /// e-mail or phone. A list that cannot be read is a transient failure: taken for "not booked", the caller would book twice.
    /// </summary>
    public static BookedMeeting? FindBooking(JsonNode? data, BookingRequest request, string keyName)
    {
        if (data is not JsonArray bookings)
        {
            throw new SchedulingException("Cal.com's bookings answer has no data array.", permanent: false);
        }

        foreach (var booking in bookings)
        {
            if (booking is not JsonObject found || IsCancelled(found) || Time(Text(found, "start")) != request.Slot.Start)
            {
                continue;
            }

            var ours = Text(found["metadata"], keyName) == request.IdempotencyKey
                || (found["attendees"] as JsonArray ?? []).Any(a => Same(Text(a, "email"), request.Email) || Same(Text(a, "phoneNumber"), request.Phone));
            if (ours)
            {
                return Booking(found);
            }
        }

        return null;
    }

    private static bool Same(string? actual, string? expected) =>
        !string.IsNullOrWhiteSpace(expected) && actual is not null && string.Equals(actual.Trim(), expected.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string? Location(JsonNode booking) =>
        Text(booking, "meetingUrl") is { Length: > 0 } url ? url : Text(booking, "location");

    /// <summary>The string property <paramref name="name"/> of a JSON object; null for any other shape (never throws).</summary>
    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time.ToUniversalTime() : null;
}

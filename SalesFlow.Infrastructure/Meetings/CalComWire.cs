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

    public static JsonNode? Data(string text, string what)
    {
        try
        {
            return JsonNode.Parse(text)?["data"];
        }
        catch (JsonException e)
        {
            throw new SchedulingException($"Cal.com answered {what} with something that is not JSON.", permanent: false, inner: e);
        }
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

    /// <summary>Every slot start of a 2024-09-04 slots answer, earliest first.</summary>
    public static IEnumerable<DateTimeOffset> SlotStarts(JsonNode? data) =>
        data is JsonObject days
            ? days.SelectMany(day => day.Value as JsonArray ?? [])
                .Select(slot => slot?["start"]?.GetValue<string>())
                .Where(start => start is not null)
                .Select(start => Time(start!))
                .OrderBy(start => start)
            : throw new SchedulingException("Cal.com's slots answer has no data object.", permanent: false);

    public static BookedMeeting Booking(JsonNode? data)
    {
        // Recurring bookings answer an array; ours are single, but read the first either way.
        var booking = data is JsonArray { Count: > 0 } many ? many[0] : data;
        var uid = booking?["uid"]?.GetValue<string>() ?? throw new SchedulingException("Cal.com's booking answer has no uid.", permanent: false);
        return new BookedMeeting(
            MeetingProviders.CalCom,
            uid,
            Time(booking["start"]!.GetValue<string>()),
            Time(booking["end"]!.GetValue<string>()),
            Location(booking));
    }

    public static bool IsCancelled(JsonNode? booking) =>
        string.Equals(booking?["status"]?.GetValue<string>(), "cancelled", StringComparison.OrdinalIgnoreCase);

    /// <summary>The active booking of the list that is this request's: same start, and our idempotency key, or the attendee's e-mail or phone.</summary>
    public static BookedMeeting? FindBooking(JsonNode? data, BookingRequest request, string keyName)
    {
        foreach (var booking in data as JsonArray ?? [])
        {
            if (booking is null || IsCancelled(booking) || booking["start"]?.GetValue<string>() is not { } start || Time(start) != request.Slot.Start)
            {
                continue;
            }

            var ours = booking["metadata"]?[keyName]?.GetValue<string>() == request.IdempotencyKey
                || (booking["attendees"] as JsonArray ?? []).Any(a => Same(a?["email"], request.Email) || Same(a?["phoneNumber"], request.Phone));
            if (ours)
            {
                return Booking(booking);
            }
        }

        return null;
    }

    private static bool Same(JsonNode? value, string? expected) =>
        !string.IsNullOrWhiteSpace(expected) && value?.GetValue<string>() is { } actual && string.Equals(actual.Trim(), expected.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string? Location(JsonNode booking) =>
        booking["meetingUrl"]?.GetValue<string>() is { Length: > 0 } url ? url : booking["location"]?.GetValue<string>();

    private static DateTimeOffset Time(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime();
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Meetings;

namespace SalesFlow.Infrastructure.Meetings;

/// <summary>
/// A Cal.com booking webhook: <c>{"triggerEvent":"BOOKING_CREATED"|"BOOKING_RESCHEDULED"|"BOOKING_CANCELLED"|…,
/// "createdAt","payload":{"uid","bookingId","startTime","endTime","status","rescheduleUid","cancellationReason",
/// "location","metadata":{"videoCallUrl"}}}</c> (cal.com/docs/developing/guides/automation/webhooks; the payload is the
/// booking's calendar event plus, on a reschedule, <c>rescheduleUid</c> = the uid of the booking it replaced, as
/// handleNewBooking builds it). Other triggers (meeting started, no-show, …) are read as null: nothing to apply.
/// </summary>
public static class CalComWebhookPayload
{
    /// <summary>The change the webhook reports, or null for a trigger about something else; a malformed body throws <see cref="WebhookFormatException"/>.</summary>
    public static CalendarBookingChange? Parse(ReadOnlySpan<byte> body)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject ?? throw new WebhookFormatException("The body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new WebhookFormatException("The body is not JSON.");
        }

        var trigger = Text(root, "triggerEvent") ?? throw new WebhookFormatException("triggerEvent is required.", "triggerEvent");
        CalendarChangeKind? kind = trigger switch
        {
            "BOOKING_CREATED" => CalendarChangeKind.Created,
            "BOOKING_RESCHEDULED" => CalendarChangeKind.Rescheduled,
            "BOOKING_CANCELLED" => CalendarChangeKind.Cancelled,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var payload = root["payload"] as JsonObject ?? throw new WebhookFormatException("payload must be an object.", "payload");
        var uid = Text(payload, "uid") is { Length: > 0 } u ? u : throw new WebhookFormatException("payload.uid is required.", "payload.uid");
        var location = payload["metadata"] is JsonObject metadata && Text(metadata, "videoCallUrl") is { Length: > 0 } video ? video : Text(payload, "location");
        return new CalendarBookingChange(
            kind.Value,
            uid,
            Text(payload, "rescheduleUid"),
            Time(payload, "startTime"),
            Time(payload, "endTime"),
            location,
            Text(payload, "cancellationReason"));
    }

    private static string? Text(JsonObject node, string name)
    {
        try
        {
            return node[name]?.GetValue<string>();
        }
        catch (InvalidOperationException)
        {
            var path = node.GetPath().TrimStart('$', '.') is { Length: > 0 } parent ? $"{parent}.{name}" : name;
            throw new WebhookFormatException($"{path} must be a string.", path);
        }
    }

    private static DateTimeOffset? Time(JsonObject payload, string name) =>
        Text(payload, name) is not { Length: > 0 } value ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUniversalTime()
        : throw new WebhookFormatException($"payload.{name} must be an ISO 8601 time.", "payload." + name);
}

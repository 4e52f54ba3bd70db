using System.Text.Json;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Core.Channels.Parsing;

/// <summary>
/// One event of SendGrid's Event Webhook, as far as delivery state needs it: the status, <c>sg_event_id</c> for dedupe,
/// the address for suppression and our own id for settling an item; a malformed event is refused naming its field.
/// </summary>
/// <param name="XMessageId">The part of <c>sg_message_id</c> before the first '.': the X-Message-Id the send returned.</param>
/// <param name="OutboxId">The <c>outbox_id</c> custom argument, when the send carried it.</param>
public sealed record SendGridEvent(string EventId, string Event, string? Email, string? XMessageId, string? OutboxId, string? Reason)
{
    /// <summary>The custom argument (custom_args) a send carries and every event of it echoes: our outbox id.</summary>
    public const string OutboxIdArgument = "outbox_id";

    /// <summary>Events after which no further e-mail goes to the address.</summary>
    public bool SuppressesAddress => Event is "bounce" or "dropped" or "spamreport";

    /// <summary>What the event does to the item; null when nothing (deferred, click, unsubscribe, …).</summary>
    public string? Status => Event switch
    {
        "processed" => OutboxStatus.Sent,
        "delivered" => OutboxStatus.Delivered,
        "open" => OutboxStatus.Read,
        "bounce" or "dropped" or "spamreport" => OutboxStatus.Failed,
        _ => null,
    };

    public string Describe() => Reason is { Length: > 0 } reason ? $"sendgrid {Event}: {reason}" : $"sendgrid {Event}";

    /// <summary>The whole batch or nothing: a malformed event fails the request naming the field (e.g. <c>[2].sg_event_id</c>).</summary>
    public static IReadOnlyList<SendGridEvent> ParseBatch(ReadOnlySpan<byte> body)
    {
        JsonDocument doc;
        try
        {
            // SendGrid's own sample bodies may start with a byte-order mark, which the JSON reader refuses.
            doc = JsonDocument.Parse(body.StartsWith("\uFEFF"u8) ? body[3..].ToArray() : body.ToArray());
        }
        catch (JsonException e)
        {
            throw new WebhookFormatException($"The body is not JSON: {e.Message}", "body");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new WebhookFormatException("The body must be a JSON array of events.", "body");
            }

            var events = new List<SendGridEvent>();
            var i = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new WebhookFormatException($"Event {i} is not a JSON object.", $"[{i}]");
                }

                var kind = Text(element, "event", i) ?? throw new WebhookFormatException($"Event {i} has no 'event'.", $"[{i}].event");
                var id = Text(element, "sg_event_id", i) ?? throw new WebhookFormatException($"Event {i} has no 'sg_event_id'.", $"[{i}].sg_event_id");
                var email = Text(element, "email", i);
                var e = new SendGridEvent(
                    id,
                    kind,
                    email,
                    Text(element, "sg_message_id", i) is { Length: > 0 } sgMessageId ? SendGridInboundParser.SendGridXMessageId(sgMessageId) : null,
                    Text(element, OutboxIdArgument, i),
                    Text(element, "reason", i) ?? Text(element, "response", i));
                if (e.SuppressesAddress && string.IsNullOrWhiteSpace(email))
                {
                    throw new WebhookFormatException($"Event {i} ({kind}) has no 'email' to suppress.", $"[{i}].email");
                }

                events.Add(e);
                i++;
            }

            return events;
        }
    }

    private static string? Text(JsonElement element, string name, int index) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new WebhookFormatException($"Event {index}: '{name}' must be a string.", $"[{index}].{name}");
}

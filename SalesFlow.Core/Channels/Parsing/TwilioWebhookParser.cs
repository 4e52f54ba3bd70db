using System.Globalization;

namespace SalesFlow.Core.Channels.Parsing;

/// <summary>
/// Normalises a Twilio Messaging webhook (form fields of an inbound SMS/MMS or WhatsApp message, or a status callback).
/// </summary>
/// <remarks>
/// A delivery with <c>MessageStatus</c> and no <c>Body</c> is a status callback; everything else is an inbound message.
/// <c>From</c>/<c>To</c> of the form <c>whatsapp:+1...</c> mean the WhatsApp channel through Twilio; the prefix is removed.
/// Twilio sends no timestamp, so the time of receipt comes from the <see cref="TimeProvider"/>.
/// Answerable: any non-empty body or any media (a captionless picture gets the text <c>[image]</c>, as on WhatsApp).
/// </remarks>
public static class TwilioWebhookParser
{
    private const string WhatsAppPrefix = "whatsapp:";

    /// <summary>Fields whose bytes may be left out when they are not text: they describe, they do not identify or say anything.</summary>
    private static readonly HashSet<string> OptionalFields = new(StringComparer.Ordinal)
    {
        "ProfileName", "FromCountry", "FromState", "FromCity", "FromZip", "ToCountry", "ToState", "ToCity", "ToZip", "Address", "Label", "ErrorMessage",
    };

    public static WebhookBatch Parse(IReadOnlyDictionary<string, string> form) => Parse(form, TimeProvider.System);

    /// <summary>
    /// Reads the raw <c>application/x-www-form-urlencoded</c> body strictly (percent escapes decoded to bytes, the bytes
    /// read as UTF-8) and parses it. A Twilio delivery is one message, so a field that is not text and that identifies
    /// or carries the message (MessageSid, From, Body, ...) makes the delivery unreadable: 400 naming it, never a
    /// mangled id that could collide with another. A descriptive field (ProfileName, FromCity, ...) is left out.
    /// The first value of a repeated field counts.
    /// </summary>
    public static WebhookBatch ParseForm(ReadOnlySpan<byte> body, TimeProvider time)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        var leftOut = new List<UnreadableField>();
        foreach (var (key, value) in FormUrlEncoded.Read(body))
        {
            if (key is null)
            {
                continue; // a field name that is not text is no field Twilio sends
            }

            if (value is null)
            {
                if (!OptionalFields.Contains(key))
                {
                    throw new WebhookFormatException($"The field '{key}' is not valid UTF-8 text.", key);
                }

                leftOut.Add(new UnreadableField(key, null, Skipped: false));
                continue;
            }

            form.TryAdd(key, value);
        }

        var batch = Parse(form, time);
        return leftOut.Count == 0 ? batch : batch with { Unreadable = [.. leftOut.Select(u => u with { Id = batch.Messages.FirstOrDefault()?.ProviderMessageId })] };
    }

    public static WebhookBatch Parse(IReadOnlyDictionary<string, string> form, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(time);

        var sid = Get(form, "MessageSid") ?? Get(form, "SmsMessageSid") ?? Get(form, "SmsSid")
            ?? throw new WebhookFormatException("The field 'MessageSid' is missing.", "MessageSid");
        var now = time.GetUtcNow();

        if (Get(form, "MessageStatus") is { } status && !form.ContainsKey("Body"))
        {
            var channel = IsWhatsApp(Get(form, "From")) || IsWhatsApp(Get(form, "To")) ? ChannelKind.WhatsApp : ChannelKind.Sms;
            var update = new DeliveryStatusUpdate(channel, sid, MapStatus(status), now, FormatError(form));
            return new WebhookBatch([], [update]);
        }

        var rawFrom = Get(form, "From") ?? throw new WebhookFormatException("The field 'From' is missing.", "From");
        var rawTo = Get(form, "To");
        var kind = IsWhatsApp(rawFrom) ? ChannelKind.WhatsApp : ChannelKind.Sms;

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in new[] { "AccountSid", "MessagingServiceSid", "NumSegments", "FromCountry", "FromState", "FromCity", "WaId", "ButtonPayload", "OriginalRepliedMessageSid" })
        {
            Put(meta, key, Get(form, key));
        }

        var body = form.TryGetValue("Body", out var b) ? b : string.Empty;
        var messageKind = "text";
        var text = body.Trim();

        _ = int.TryParse(Get(form, "NumMedia"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var numMedia);
        numMedia = Math.Clamp(numMedia, 0, 10);
        for (var i = 0; i < numMedia; i++)
        {
            Put(meta, $"media_url_{i}", Get(form, $"MediaUrl{i}"));
            Put(meta, $"media_content_type_{i}", Get(form, $"MediaContentType{i}"));
        }

        if (numMedia > 0)
        {
            meta["media_count"] = numMedia.ToString(CultureInfo.InvariantCulture);
            messageKind = MediaKind(Get(form, "MediaContentType0"));
            if (text.Length == 0)
            {
                text = $"[{messageKind}]";
            }
        }
        else if (Get(form, "Latitude") is { } latitude && Get(form, "Longitude") is { } longitude)
        {
            // WhatsApp location through Twilio.
            messageKind = "location";
            meta["latitude"] = latitude;
            meta["longitude"] = longitude;
            Put(meta, "address", Get(form, "Address"));
            Put(meta, "location_name", Get(form, "Label"));
            var label = string.Join(", ", new[] { Get(form, "Label"), Get(form, "Address") }.Where(x => x is not null));
            text = $"[location] {(label.Length > 0 ? label + " " : string.Empty)}{latitude},{longitude}";
        }
        else if (Get(form, "ButtonText") is { } buttonText && text.Length == 0)
        {
            messageKind = "button";
            text = buttonText;
        }

        var message = new InboundMessage(
            kind,
            sid,
            StripPrefix(rawFrom),
            Get(form, "ProfileName"),
            rawTo is null ? null : StripPrefix(rawTo),
            text,
            messageKind,
            now,
            Answerable: text.Length > 0,
            Metadata: meta);
        return new WebhookBatch([message], []);
    }

    /// <summary>Twilio's statuses in the common vocabulary: undelivered and canceled are failures; queued, accepted,
    /// scheduled and sending are "queued"; sent, delivered, read, failed, received pass through.</summary>
    private static string MapStatus(string status) => status.Trim().ToLowerInvariant() switch
    {
        "undelivered" or "canceled" or "failed" => "failed",
        "queued" or "accepted" or "scheduled" or "sending" => "queued",
        var other => other,
    };

    private static string? FormatError(IReadOnlyDictionary<string, string> form)
    {
        var code = Get(form, "ErrorCode");
        var message = Get(form, "ErrorMessage");
        if (code is null or "0")
        {
            return message;
        }

        return message is null ? $"Twilio error {code}" : $"Twilio error {code}: {message}";
    }

    private static string MediaKind(string? contentType)
    {
        var major = contentType?.Split('/')[0].Trim().ToLowerInvariant();
        return major switch
        {
            "image" => "image",
            "video" => "video",
            "audio" => "audio",
            _ => "document",
        };
    }

    private static bool IsWhatsApp(string? address) => address?.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase) == true;

    private static string StripPrefix(string address) =>
        IsWhatsApp(address) ? address[WhatsAppPrefix.Length..].Trim() : address.Trim();

    /// <summary>A field's value, null when absent or blank.</summary>
    private static string? Get(IReadOnlyDictionary<string, string> form, string key) =>
        form.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static void Put(Dictionary<string, string> meta, string key, string? value)
    {
        if (value is not null)
        {
            meta[key] = value;
        }
    }
}

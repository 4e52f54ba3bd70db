using System.Text;
using System.Text.Json;

namespace SalesFlow.Core.Channels.Parsing;

/// <summary>
/// Normalises a Meta WhatsApp Cloud API webhook delivery (<c>object: whatsapp_business_account</c>).
/// </summary>
/// <remarks>
/// <para>Only changes with <c>field: messages</c> carry messages and statuses; every other field
/// (<c>message_template_status_update</c>, <c>user_preferences</c>, account updates, ...) is skipped
/// without error so Meta gets its 200 and does not retry.</para>
/// <para>Answerable rules (what the bot replies to):</para>
/// <list type="bullet">
/// <item>text, button (template quick reply), interactive button/list replies and flow (nfm) replies, order,
/// location and contacts: answerable, the lead expects a reaction.</item>
/// <item>image, video, audio (incl. voice notes) and document: answerable with or without a caption. With a caption
/// the caption is the text; without one the text is a description such as <c>[image]</c> or
/// <c>[document: offer.pdf]</c>, so the bot can acknowledge what it cannot see instead of ignoring a lead who
/// just sent a photo or a voice note.</item>
/// <item>sticker: answerable only when it carries a caption (stickers never do); a bare sticker is an emotional
/// acknowledgement like a reaction, and answering it would make the bot chatty.</item>
/// <item>reaction, system, edit, revoke, unsupported/unknown types and messages Meta could not deliver in full
/// (a type with no content, value-level <c>errors</c>): stored, never answered.</item>
/// </list>
/// </remarks>
public static class WhatsAppWebhookParser
{
    public const string ObjectName = "whatsapp_business_account";

    private static readonly HashSet<string> MediaTypes = ["image", "video", "audio", "document", "sticker"];

    public static WebhookBatch Parse(ReadOnlySpan<byte> rawJson)
    {
        using var document = JsonFields.ParseDocument(rawJson);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new WebhookFormatException("A WhatsApp webhook body must be a JSON object.", "body");
        }

        var objectName = root.Str("object");
        if (objectName != ObjectName)
        {
            throw new WebhookFormatException(
                objectName is null ? "The field 'object' is missing." : $"The field 'object' is '{objectName}', expected '{ObjectName}'.",
                "object");
        }

        if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new WebhookFormatException("The field 'entry' must be an array.", "entry");
        }

        var messages = new List<InboundMessage>();
        var statuses = new List<DeliveryStatusUpdate>();
        var unreadable = new List<UnreadableField>();
        foreach (var entry in entries.EnumerateArray())
        {
            foreach (var change in entry.Arr("changes"))
            {
                if (change.Str("field") != "messages" || change.Obj("value") is not { } value)
                {
                    continue;
                }

                ParseValue(value, messages, statuses, unreadable);
            }
        }

        if (messages.Count == 0 && statuses.Count == 0)
        {
            // Nothing in the delivery can be read at all: a 400 naming the first field that is not text.
            return unreadable.FirstOrDefault(u => u.Skipped) is { } first
                ? throw new WebhookFormatException($"The field '{first.Field}' is not valid UTF-8 text; nothing in the delivery is readable.", first.Field)
                : WebhookBatch.Empty;
        }

        return new WebhookBatch(messages, statuses) { Unreadable = unreadable };
    }

    private static void ParseValue(JsonElement value, List<InboundMessage> messages, List<DeliveryStatusUpdate> statuses, List<UnreadableField> unreadable)
    {
        var metadata = value.Obj("metadata");
        var phoneNumberId = metadata.Str("phone_number_id");
        var to = metadata.Str("display_phone_number") ?? phoneNumberId;

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string? onlyName = null;
        var contactCount = 0;
        foreach (var contact in value.Arr("contacts"))
        {
            contactCount++;
            if (JsonFields.FirstUnreadable(contact, "contacts[]") is { } badField)
            {
                // A display name that is not text is left out; the sender's message is still read.
                unreadable.Add(new UnreadableField(badField, null, Skipped: false));
                onlyName = null;
                continue;
            }

            var name = contact.Obj("profile").Str("name");
            onlyName = name;
            if (contact.Str("wa_id") is { } waId && name is not null)
            {
                names[waId] = name;
            }
        }

        // Errors Meta reports beside the messages (e.g. "Unsupported webhook payload") belong to those messages.
        var valueError = FormatErrors(value);

        foreach (var message in value.Arr("messages"))
        {
            // A message with any field that is not text is skipped whole (by id, never its content): storing it with
            // U+FFFD in place of its bytes would answer words the lead never wrote or let two ids collide.
            if (JsonFields.FirstUnreadable(message, "messages[]") is { } badField)
            {
                unreadable.Add(new UnreadableField(badField, message.ReadableStr("id"), Skipped: true));
                continue;
            }

            var from = Required(message, "from", "messages[].from");
            // With one contact and one sender the contact is the sender even when the ids are formatted differently.
            var fromName = names.TryGetValue(from, out var n) ? n : contactCount == 1 ? onlyName : null;
            messages.Add(ParseMessage(message, from, fromName, to, phoneNumberId, valueError));
        }

        foreach (var status in value.Arr("statuses"))
        {
            if (JsonFields.FirstUnreadable(status, "statuses[]") is { } badField)
            {
                unreadable.Add(new UnreadableField(badField, status.ReadableStr("id"), Skipped: true));
                continue;
            }

            var id = Required(status, "id", "statuses[].id");
            var state = Required(status, "status", "statuses[].status").ToLowerInvariant();
            var timestamp = status.UnixSeconds("timestamp")
                ?? throw new WebhookFormatException("A status has no valid 'timestamp'.", "statuses[].timestamp");
            statuses.Add(new DeliveryStatusUpdate(ChannelKind.WhatsApp, id, state, timestamp, FormatErrors(status), status.Str("biz_opaque_callback_data")));
        }
    }

    private static InboundMessage ParseMessage(
        JsonElement message, string from, string? fromName, string? to, string? phoneNumberId, string? valueError)
    {
        var id = Required(message, "id", "messages[].id");
        var timestamp = message.UnixSeconds("timestamp")
            ?? throw new WebhookFormatException("A message has no valid 'timestamp'.", "messages[].timestamp");
        var type = message.Str("type") ?? "unsupported";

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(meta, "phone_number_id", phoneNumberId);
        AddContext(message, meta);

        var messageError = FormatErrors(message);
        Put(meta, "error", valueError is null ? messageError : messageError is null ? valueError : $"{messageError} | {valueError}");

        var (kind, text, answerable) = Describe(message, type, meta);
        if (valueError is not null)
        {
            // Meta could not hand over the payload; whatever survived is not safe to answer.
            answerable = false;
        }

        return new InboundMessage(ChannelKind.WhatsApp, id, from, fromName, to, text, kind, timestamp, answerable, meta);
    }

    /// <summary>Kind, text and answerability of one message (or of the new content of an edit).</summary>
    private static (string Kind, string Text, bool Answerable) Describe(JsonElement message, string type, Dictionary<string, string> meta)
    {
        var body = message.Obj(type);
        switch (type)
        {
            case "text":
            {
                var text = body.Str("body") ?? string.Empty;
                return ("text", text, !text.IsBlank());
            }

            case "button":
            {
                Put(meta, "button_payload", body.Str("payload"));
                var text = body.Str("text") ?? body.Str("payload") ?? string.Empty;
                return ("button", text, !text.IsBlank());
            }

            case "interactive":
                return DescribeInteractive(body, meta);

            case var media when MediaTypes.Contains(media):
                return DescribeMedia(media, body, meta);

            case "location":
                return ("location", DescribeLocation(body, meta), body is not null);

            case "contacts":
                return DescribeContacts(message, meta);

            case "reaction":
            {
                Put(meta, "reacted_message_id", body.Str("message_id"));
                var emoji = body.Str("emoji");
                Put(meta, "emoji", emoji.IsBlank() ? null : emoji);
                return ("reaction", emoji.IsBlank() ? "[reaction removed]" : $"[reaction] {emoji}", false);
            }

            case "order":
                return DescribeOrder(body, meta);

            case "system":
            {
                Put(meta, "system_type", body.Str("type"));
                Put(meta, "new_wa_id", body.Str("wa_id"));
                return ("system", body.Str("body") ?? "[system]", false);
            }

            case "edit":
            {
                Put(meta, "original_message_id", body.Str("original_message_id"));
                var edited = body?.Obj("message");
                var text = "[edited]";
                if (edited is { } inner)
                {
                    var innerType = inner.Str("type") ?? "unsupported";
                    Put(meta, "edited_type", innerType);
                    text = Describe(inner, innerType, meta).Text;
                }

                return ("edit", text, false);
            }

            case "revoke":
                Put(meta, "original_message_id", body.Str("original_message_id"));
                return ("revoke", "[message deleted]", false);

            default:
                // "unsupported" and any type this parser does not know yet (request_welcome, ephemeral, ...).
                Put(meta, "original_type", type == "unsupported" ? body.Str("type") : type);
                return ("unsupported", "[unsupported]", false);
        }
    }

    private static (string, string, bool) DescribeInteractive(JsonElement? body, Dictionary<string, string> meta)
    {
        var interactiveType = body.Str("type");
        Put(meta, "interactive_type", interactiveType);
        var reply = interactiveType is null ? null : body?.Obj(interactiveType);
        switch (interactiveType)
        {
            case "button_reply" or "list_reply" when reply is { } r:
            {
                Put(meta, "reply_id", r.Str("id"));
                var title = r.Str("title") ?? r.Str("id") ?? string.Empty;
                var description = r.Str("description");
                var text = description.IsBlank() ? title : $"{title} - {description}";
                return ("interactive", text, !text.IsBlank());
            }

            case "nfm_reply" when reply is { } r:
            {
                // A WhatsApp Flow (form) was submitted; the answers are a JSON string.
                Put(meta, "flow_name", r.Str("name"));
                Put(meta, "flow_response_json", r.Str("response_json"));
                var answers = FlattenFlowResponse(r.Str("response_json"), meta);
                var text = answers.Length > 0 ? $"[form] {answers}" : r.Str("body") ?? "[form]";
                return ("interactive", text, true);
            }

            default:
                // Type "interactive" with nothing inside: Meta could not deliver the payload.
                return ("interactive", "[unsupported]", false);
        }
    }

    private static string FlattenFlowResponse(string? json, Dictionary<string, string> meta)
    {
        if (json.IsBlank())
        {
            return string.Empty;
        }

        try
        {
            using var doc = JsonDocument.Parse(json!);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return string.Empty;
            }

            var parts = new List<string>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "flow_token")
                {
                    Put(meta, "flow_token", doc.RootElement.Str("flow_token"));
                    continue;
                }

                var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                parts.Add($"{property.Name}: {text}");
            }

            return string.Join(", ", parts);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or WebhookFormatException)
        {
            // Not JSON, or JSON whose strings are not text (a lone surrogate escape): the form's answers are not shown.
            return string.Empty;
        }
    }

    private static (string, string, bool) DescribeMedia(string type, JsonElement? body, Dictionary<string, string> meta)
    {
        Put(meta, "media_id", body.Str("id"));
        Put(meta, "mime_type", body.Str("mime_type"));
        Put(meta, "sha256", body.Str("sha256"));
        Put(meta, "media_url", body.Str("url"));
        Put(meta, "filename", body.Str("filename"));
        var voice = body is { } b && b.Flag("voice");
        if (voice)
        {
            meta["voice"] = "true";
        }

        if (body is { } s && s.Flag("animated"))
        {
            meta["animated"] = "true";
        }

        var caption = body.Str("caption");
        if (!caption.IsBlank())
        {
            return (type, caption!, true);
        }

        var description = type switch
        {
            "audio" when voice => "[voice message]",
            "document" when body.Str("filename") is { } name && !name.IsBlank() => $"[document: {name}]",
            _ => $"[{type}]",
        };
        return (type, description, type != "sticker" && body is not null);
    }

    private static string DescribeLocation(JsonElement? body, Dictionary<string, string> meta)
    {
        var latitude = body.Str("latitude");
        var longitude = body.Str("longitude");
        var name = body.Str("name");
        var address = body.Str("address");
        Put(meta, "latitude", latitude);
        Put(meta, "longitude", longitude);
        Put(meta, "location_name", name);
        Put(meta, "address", address);
        Put(meta, "location_url", body.Str("url"));

        var text = new StringBuilder("[location]");
        var label = string.Join(", ", new[] { name, address }.Where(x => !x.IsBlank()));
        if (label.Length > 0)
        {
            text.Append(' ').Append(label);
        }

        if (latitude is not null && longitude is not null)
        {
            text.Append(' ').Append(latitude).Append(',').Append(longitude);
        }

        return text.ToString();
    }

    private static (string, string, bool) DescribeContacts(JsonElement message, Dictionary<string, string> meta)
    {
        var names = new List<string>();
        var cards = new List<string>();
        foreach (var card in message.Arr("contacts"))
        {
            var nameObj = card.Obj("name");
            var name = nameObj.Str("formatted_name")
                ?? string.Join(' ', new[] { nameObj.Str("first_name"), nameObj.Str("last_name") }.Where(x => !x.IsBlank()));
            var phones = card.Arr("phones").Select(p => p.Str("phone") ?? p.Str("wa_id")).Where(p => !p.IsBlank());
            names.Add(name.IsBlank() ? "(no name)" : name);
            cards.Add($"{(name.IsBlank() ? "(no name)" : name)}: {string.Join(" / ", phones)}");
        }

        Put(meta, "contacts", cards.Count > 0 ? string.Join("; ", cards) : null);
        return ("contacts", names.Count > 0 ? $"[contacts] {string.Join(", ", names)}" : "[contacts]", names.Count > 0);
    }

    private static (string, string, bool) DescribeOrder(JsonElement? body, Dictionary<string, string> meta)
    {
        Put(meta, "catalog_id", body.Str("catalog_id"));
        var items = new List<string>();
        if (body is { } order)
        {
            foreach (var item in order.Arr("product_items"))
            {
                var price = item.Str("item_price") is { } p ? $" @ {p} {item.Str("currency")}".TrimEnd() : string.Empty;
                items.Add($"{item.Str("quantity") ?? "1"} x {item.Str("product_retailer_id") ?? "?"}{price}");
            }
        }

        Put(meta, "order_items", items.Count > 0 ? string.Join("; ", items) : null);
        var text = "[order] " + (items.Count > 0 ? string.Join(", ", items) : "(empty)");
        var note = body.Str("text");
        if (!note.IsBlank())
        {
            text += $" - {note}";
        }

        return ("order", text, true);
    }

    private static void AddContext(JsonElement message, Dictionary<string, string> meta)
    {
        if (message.Obj("context") is { } context)
        {
            Put(meta, "reply_to_message_id", context.Str("id"));
            if (context.Flag("forwarded"))
            {
                meta["forwarded"] = "true";
            }

            if (context.Flag("frequently_forwarded"))
            {
                meta["frequently_forwarded"] = "true";
            }
        }

        if (message.Obj("referral") is { } referral)
        {
            // Click-to-WhatsApp ads: which ad brought the lead is sales data.
            foreach (var field in new[] { "source_url", "source_id", "source_type", "headline", "body", "ctwa_clid" })
            {
                Put(meta, "referral_" + field, referral.Str(field));
            }
        }
    }

    /// <summary>The first error of an <c>errors</c> array: title, message and details joined, then the code.</summary>
    private static string? FormatErrors(JsonElement element)
    {
        var first = element.Arr("errors").FirstOrDefault();
        if (first.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var part in new[] { first.Str("title"), first.Str("message"), first.Obj("error_data").Str("details") })
        {
            if (!part.IsBlank() && !parts.Contains(part!, StringComparer.OrdinalIgnoreCase))
            {
                parts.Add(part!);
            }
        }

        var code = first.Str("code");
        var text = string.Join("; ", parts);
        if (code is not null)
        {
            text = text.Length == 0 ? $"code {code}" : $"{text} (code {code})";
        }

        return text.Length == 0 ? "unknown error" : text;
    }

    private static string Required(JsonElement element, string name, string field)
    {
        var value = element.Str(name);
        return value.IsBlank() ? throw new WebhookFormatException($"The field '{field}' is missing.", field) : value!;
    }

    private static void Put(Dictionary<string, string> meta, string key, string? value)
    {
        if (!value.IsBlank())
        {
            meta[key] = value!;
        }
    }
}

using System.Globalization;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace SalesFlow.Core.Channels.Parsing;

/// <summary>
/// Normalises SendGrid Inbound Parse deliveries (multipart/form-data, "default" or "send raw" mode) and
/// SendGrid Event Webhook batches.
/// </summary>
public static partial class SendGridInboundParser
{
    /// <summary>SendGrid caps an inbound message at 30 MB; leave room for the multipart framing.</summary>
    private const long MaxBodyBytes = 40L * 1024 * 1024;

    private const int MaxFieldBytes = 35 * 1024 * 1024;

    public static Task<InboundMessage> ParseAsync(Stream body, string contentType, CancellationToken ct) =>
        ParseAsync(body, contentType, TimeProvider.System, ct);

    /// <summary>
    /// Reads an Inbound Parse POST. The text is the sender's new text only (<see cref="EmailReplyText.StripQuoted"/>);
    /// the message id is the Message-ID header without angle brackets or, when there is none, the lower-case hex SHA-256
    /// of "from address \n subject \n full text" (each trimmed). The timestamp is the Date header, else the time of receipt from
    /// <paramref name="time"/>. Answerable when the stripped text is not empty. The metadata carries the sender
    /// authentication verdict (<see cref="EmailAuthentication"/>: "sender_authenticated" true or false, "dkim" raw).
    /// </summary>
    public static async Task<InboundMessage> ParseAsync(Stream body, string contentType, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(time);

        var boundary = GetBoundary(contentType);
        var (fields, fileCount) = await ReadFormAsync(body, boundary, ct).ConfigureAwait(false);
        var charsets = ReadCharsets(fields);

        // Prose (text, html, subject, the display name) is read leniently: mail in the wild often carries a wrong
        // charset label, and a stray U+FFFD in a sentence beats losing the lead's e-mail. What identifies (addresses,
        // the Message-ID) or authenticates is read strictly: U+FFFD there could make two different values one.
        string? Field(string name) =>
            fields.TryGetValue(name, out var bytes)
                ? MimeMessageText.DecodeCharset(bytes, charsets.GetValueOrDefault(name)).Trim('\r', '\n')
                : null;

        // Null when absent or not text in its charset: treated as absent (no envelope, no SPF or DKIM verdict, so never
        // authenticated by it).
        string? StrictField(string name) =>
            fields.TryGetValue(name, out var bytes) ? MimeMessageText.TryDecodeCharsetStrictly(bytes, charsets.GetValueOrDefault(name))?.Trim('\r', '\n') : null;

        var rawFrom = Field("from");
        if (rawFrom.IsBlank())
        {
            throw new WebhookFormatException("The field 'from' is missing.", "from");
        }

        var (fromAddress, fromName) = ParseAddress(rawFrom!) ?? throw new WebhookFormatException($"The field 'from' holds no e-mail address: '{rawFrom}'.", "from");
        if (fromAddress.Contains('\uFFFD', StringComparison.Ordinal) && StrictField("from") is null)
        {
            // The address picks the lead: bytes that are not text must not make two senders one.
            throw new WebhookFormatException("The address in the field 'from' is not valid text.", "from");
        }

        MimeMessageText.Result? raw = fields.TryGetValue("email", out var emailBytes) ? MimeMessageText.Read(emailBytes) : null;
        var headers = raw?.Headers
            ?? (Field("headers") is { } headerText ? MimeMessageText.SplitHeaders(headerText.Replace("\r\n", "\n") + "\n\n").Headers : new Dictionary<string, string>());

        var subject = Field("subject") ?? (headers.TryGetValue("subject", out var s) ? MimeMessageText.DecodeEncodedWords(s) : string.Empty);

        string fullText;
        if (raw is not null)
        {
            fullText = raw.PlainText ?? (raw.HtmlText is { } h ? MimeMessageText.HtmlToText(h) : Field("text") ?? string.Empty);
        }
        else
        {
            var plain = Field("text");
            fullText = !plain.IsBlank() ? plain! : Field("html") is { } html ? MimeMessageText.HtmlToText(html) : string.Empty;
        }

        fullText = fullText.Replace("\r\n", "\n");
        var reply = EmailReplyText.StripQuoted(fullText);

        var messageId = headers.TryGetValue("message-id", out var mid) ? mid.Trim().Trim('<', '>').Trim() : null;
        if (raw is null && messageId is not null && messageId.Contains('\uFFFD', StringComparison.Ordinal) && StrictField("headers") is null)
        {
            // Two ids that differ only in bytes that are not text would read the same: one would be taken for the other's duplicate.
            throw new WebhookFormatException("The Message-ID in the field 'headers' is not valid text.", "headers");
        }

        if (messageId.IsBlank())
        {
            messageId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{fromAddress}\n{subject.Trim()}\n{fullText.Trim()}")));
        }

        var attachments = int.TryParse(Field("attachments"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var declared)
            ? declared
            : Math.Max(fileCount, raw?.Attachments ?? 0);

        var envelope = ReadEnvelope(StrictField("envelope"));
        var to = envelope.To ?? (StrictField("to") is { } toField ? ParseAddress(toField.Split(',')[0])?.Address : null);

        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["subject"] = subject,
            ["attachment_count"] = attachments.ToString(CultureInfo.InvariantCulture),
        };
        Put(meta, "in_reply_to", headers.GetValueOrDefault("in-reply-to")?.Trim().Trim('<', '>'));
        // Kept so a reply can carry the chain on (EmailThreading): References of theirs, then their Message-ID.
        Put(meta, Conversations.EmailThreading.ReferencesKey, string.Join(' ', Conversations.EmailThreading.MessageIds(headers.GetValueOrDefault("references"))));
        Put(meta, "envelope_from", envelope.From);
        var spf = StrictField("SPF");
        Put(meta, "spf", spf);
        Put(meta, "spam_score", Field("spam_score"));

        // The From header picks the lead and costs nothing to forge: record whether SendGrid's DKIM or SPF check vouches
        // for its domain; intake decides what an unauthenticated sender may do.
        var dkim = StrictField("dkim");
        EmailAuthentication.Evaluate(fromAddress, envelope.From, spf, dkim).WriteTo(meta, dkim);

        var timestamp = headers.TryGetValue("date", out var date) && ParseRfc5322Date(date) is { } sent ? sent : time.GetUtcNow();

        return new InboundMessage(
            ChannelKind.Email, messageId!, fromAddress, fromName, to, reply, "email", timestamp, Answerable: reply.Length > 0, Metadata: meta);
    }

    /// <summary>The X-Message-Id SendGrid returned when sending: the part of an <c>sg_message_id</c> before the first '.'.</summary>
    public static string SendGridXMessageId(string sgMessageId)
    {
        ArgumentNullException.ThrowIfNull(sgMessageId);
        var dot = sgMessageId.IndexOf('.');
        return dot < 0 ? sgMessageId : sgMessageId[..dot];
    }

    private static string GetBoundary(string contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || !parsed.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new WebhookFormatException($"Expected multipart/form-data, got '{contentType}'.", "Content-Type");
        }

        var boundary = HeaderUtilities.RemoveQuotes(parsed.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
        {
            throw new WebhookFormatException("The multipart boundary is missing.", "boundary");
        }

        return boundary;
    }

    private static async Task<(Dictionary<string, byte[]> Fields, int Files)> ReadFormAsync(Stream body, string boundary, CancellationToken ct)
    {
        var fields = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        var files = 0;
        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = MaxBodyBytes };
        try
        {
            while (await reader.ReadNextSectionAsync(ct).ConfigureAwait(false) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                if (disposition is null)
                {
                    continue;
                }

                if (disposition.IsFileDisposition())
                {
                    // attachment1..N: only counted; the bot does not read attachments.
                    files++;
                    await section.Body.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                using var buffer = new MemoryStream();
                await section.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
                if (buffer.Length > MaxFieldBytes)
                {
                    throw new WebhookFormatException($"The field '{name}' is too large.", name ?? "body");
                }

                if (!string.IsNullOrEmpty(name))
                {
                    fields[name] = buffer.ToArray();
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new WebhookFormatException($"The multipart body is malformed: {ex.Message}", "body");
        }

        return (fields, files);
    }

    private static Dictionary<string, string> ReadCharsets(Dictionary<string, byte[]> fields)
    {
        var charsets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!fields.TryGetValue("charsets", out var bytes))
        {
            return charsets;
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { } charset)
                    {
                        charsets[property.Name] = charset;
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Unreadable charsets (not JSON, or names or values that are not text): every field is read as UTF-8.
            charsets.Clear();
        }

        return charsets;
    }

    private static (string? From, string? To) ReadEnvelope(string? json)
    {
        if (json.IsBlank())
        {
            return (null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(json!);
            var root = doc.RootElement;
            var to = root.Arr("to").Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : null).FirstOrDefault(t => !t.IsBlank());
            return (root.Str("from")?.Trim().ToLowerInvariant(), to?.Trim().ToLowerInvariant());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or WebhookFormatException)
        {
            // Not JSON, or addresses that are not text (a lone surrogate escape): as if SendGrid had sent no envelope.
            return (null, null);
        }
    }

    /// <summary>"Name &lt;addr&gt;", "\"Last, First\" &lt;addr&gt;" or a bare address → (lower-case address, display name or null).</summary>
    internal static (string Address, string? Name)? ParseAddress(string value)
    {
        var decoded = MimeMessageText.DecodeEncodedWords(value.Trim());
        if (MailAddress.TryCreate(decoded, out var address))
        {
            var name = address.DisplayName.Trim().Trim('"').Trim();
            return (address.Address.ToLowerInvariant(), name.Length == 0 ? null : name);
        }

        var match = AngleAddress().Match(decoded);
        if (match.Success)
        {
            var name = match.Groups["name"].Value.Trim().Trim('"').Trim();
            return (match.Groups["addr"].Value.Trim().ToLowerInvariant(), name.Length == 0 ? null : name);
        }

        return null;
    }

    /// <summary>RFC 5322 dates such as "Wed, 10 Aug 2016 18:10:13 -0700 (PDT)".</summary>
    internal static DateTimeOffset? ParseRfc5322Date(string value)
    {
        var text = Comment().Replace(value, " ");
        text = SpaceRun().Replace(text, " ").Trim();
        text = ZoneName().Replace(text, " +0000");
        var withColon = NumericZone().Replace(text, "$1$2:$3");
        string[] formats = ["ddd, d MMM yyyy H:m:s zzz", "d MMM yyyy H:m:s zzz", "ddd, d MMM yyyy H:m zzz", "d MMM yyyy H:m zzz"];
        return DateTimeOffset.TryParseExact(withColon, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed)
            ? parsed
            : null;
    }

    private static void Put(Dictionary<string, string> meta, string key, string? value)
    {
        if (!value.IsBlank())
        {
            meta[key] = value!;
        }
    }

    [GeneratedRegex(@"^(?<name>.*)<(?<addr>[^<>@\s]+@[^<>\s]+)>")]
    private static partial Regex AngleAddress();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpaceRun();

    [GeneratedRegex(@"\s(GMT|UTC|UT|Z)$", RegexOptions.IgnoreCase)]
    private static partial Regex ZoneName();

    [GeneratedRegex(@"([+-])(\d\d)(\d\d)$")]
    private static partial Regex NumericZone();
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Tests.Support;

/// <summary>Builds and signs provider deliveries the way the providers do.</summary>
public static class Webhooks
{
    /// <summary>A WhatsApp Cloud API delivery of one text message, in Meta's shape.</summary>
    public static byte[] WhatsAppText(string waId, string wamid, string text, string profileName = "Anna Meyer", long? timestamp = null) =>
        WhatsAppDelivery(new
        {
            messaging_product = "whatsapp",
            metadata = WhatsAppMetadata,
            contacts = new[] { new { profile = new { name = profileName }, wa_id = waId } },
            messages = new[] { new { from = waId, id = wamid, timestamp = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(), type = "text", text = new { body = text } } },
        });

    /// <summary>A WhatsApp status update (sent/delivered/read/failed) for a message we sent.</summary>
    public static byte[] WhatsAppStatus(string wamid, string status, string recipient) =>
        WhatsAppDelivery(new
        {
            messaging_product = "whatsapp",
            metadata = WhatsAppMetadata,
            statuses = new[] { new { id = wamid, status, timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(), recipient_id = recipient } },
        });

    /// <summary>A WhatsApp status update that echoes the <c>biz_opaque_callback_data</c> our send attached (the outbox id).</summary>
    public static byte[] WhatsAppStatus(string wamid, string status, string recipient, string outboxId) =>
        WhatsAppDelivery(new
        {
            messaging_product = "whatsapp",
            metadata = WhatsAppMetadata,
            statuses = new[] { new { id = wamid, status, timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(), recipient_id = recipient, biz_opaque_callback_data = outboxId } },
        });

    private static readonly object WhatsAppMetadata = new { display_phone_number = "15550783881", phone_number_id = "106540352242922" };

    /// <summary>Meta's envelope around one change value.</summary>
    private static byte[] WhatsAppDelivery(object value) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            @object = "whatsapp_business_account",
            entry = new[] { new { id = "102290129340398", changes = new[] { new { field = "messages", value } } } },
        }));

    public static HttpRequestMessage SignedWhatsApp(string clientId, byte[] body, string appSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/whatsapp/{clientId}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", MetaSignature.Compute(appSecret, body));
        return request;
    }

    /// <summary>
    /// The X-Twilio-Signature Twilio sends for this exact URL and form: Base64(HMAC-SHA1(auth token, URL + key+value of
    /// every field sorted by key, then value, ordinally)). Test-only: Twilio's SDK validates but does not sign.
    /// </summary>
    public static string TwilioSignatureFor(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var signed = new StringBuilder(url);
        foreach (var (key, value) in form.Distinct().OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            signed.Append(key).Append(value);
        }

        return Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(signed.ToString())));
    }

    /// <summary>A Twilio inbound SMS (or WhatsApp with the whatsapp: prefix), signed over the exact URL.</summary>
    public static HttpRequestMessage SignedTwilio(Uri baseUrl, string clientId, IReadOnlyDictionary<string, string> form, string authToken)
    {
        var url = new Uri(baseUrl, $"/api/webhooks/twilio/{clientId}").ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignatureFor(authToken, url, form));
        return request;
    }

    /// <summary>
    /// A SendGrid Inbound Parse POST (default mode) of one plain-text e-mail, with the SPF, dkim and envelope fields
    /// SendGrid adds; a null field is left out, as SendGrid does when its check is off. <paramref name="fromAddress"/>
    /// is the From header's address, <paramref name="envelopeFrom"/> the Return-Path.
    /// </summary>
    public static MultipartFormDataContent SendGridEmail(
        string fromAddress,
        string text,
        string? spf,
        string? dkim,
        string? envelopeFrom,
        string? messageId = null,
        string fromName = "Jonas Weber",
        string subject = "Anfrage")
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent($"{fromName} <{fromAddress}>"), "from");
        form.Add(new StringContent("sales@demo.example"), "to");
        form.Add(new StringContent(subject), "subject");
        form.Add(new StringContent(text), "text");
        form.Add(new StringContent($"Message-ID: <{messageId ?? Guid.NewGuid().ToString("N")}@mail.example.com>\nFrom: {fromName} <{fromAddress}>\n"), "headers");
        form.Add(new StringContent(JsonSerializer.Serialize(new { to = new[] { "sales@demo.example" }, from = envelopeFrom ?? "" })), "envelope");
        if (spf is not null)
        {
            form.Add(new StringContent(spf), "SPF");
        }

        if (dkim is not null)
        {
            form.Add(new StringContent(dkim), "dkim");
        }

        return form;
    }

    /// <summary>What SendGrid reports for mail its author's domain signed and sent: SPF and DKIM pass for the From domain.</summary>
    public static MultipartFormDataContent AuthenticSendGridEmail(string fromAddress, string text, string? messageId = null, string fromName = "Jonas Weber") =>
        SendGridEmail(fromAddress, text, "pass", $"{{@{fromAddress[(fromAddress.IndexOf('@') + 1)..]} : pass}}", fromAddress, messageId, fromName);

    /// <summary>What SendGrid reports for mail that only claims the From address: sent from elsewhere, SPF fails, no signature of the From domain.</summary>
    public static MultipartFormDataContent ForgedSendGridEmail(string fromAddress, string text, string? messageId = null, string fromName = "Jonas Weber") =>
        SendGridEmail(fromAddress, text, "fail", "none", fromAddress, messageId, fromName);

    public static Dictionary<string, string> TwilioSms(string from, string sid, string body) => new()
    {
        ["ToCountry"] = "US",
        ["SmsMessageSid"] = sid,
        ["NumMedia"] = "0",
        ["SmsSid"] = sid,
        ["SmsStatus"] = "received",
        ["Body"] = body,
        ["To"] = "+15005550006",
        ["NumSegments"] = "1",
        ["MessageSid"] = sid,
        ["AccountSid"] = "AC00000000000000000000000000000000",
        ["From"] = from,
        ["ApiVersion"] = "2010-04-01",
    };
}

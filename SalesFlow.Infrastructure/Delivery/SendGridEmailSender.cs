using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace SalesFlow.Infrastructure.Delivery;

/// <summary>
/// Sends e-mail with the SendGrid SDK (<c>POST {SendGrid:ApiBaseUrl}/v3/mail/send</c>, bearer = the client's API key),
/// threaded into the lead's conversation (<see cref="EmailThread"/>: "Re:" subject, In-Reply-To, References) and tagged
/// with <c>custom_args</c> {outbox_id, client_id}, which SendGrid echoes in every Event Webhook event.
/// Shapes: docs.sendgrid.com/api-reference/mail-send/mail-send (202 Accepted, empty body, the <c>X-Message-Id</c> header
/// that event webhooks report as the prefix of <c>sg_message_id</c>; 4xx bodies <c>{"errors":[{"message","field","help"}]}</c>)
/// and docs.sendgrid.com/api-reference/how-to-use-the-sendgrid-v3-api/rate-limits (429, X-RateLimit-Reset).
/// </summary>
public sealed class SendGridEmailSender(IHttpClientFactory httpClients, IOptions<SendGridApiOptions> options, TimeProvider clock)
{
    /// <summary>The named HttpClient; created per send (the sender is a singleton).</summary>
    public const string HttpClientName = "SendGridApi";

    private const string Vendor = "SendGrid";

    public static bool IsConfigured(ClientConfig? config) =>
        config?.Email is { SendGridApiKey.Length: > 0, FromAddress.Length: > 0 };

    public async Task<string> SendAsync(OutboxItem item, EmailConfig email, string clientName, CancellationToken ct)
    {
        var client = new SendGridClient(httpClients.CreateClient(HttpClientName), new SendGridClientOptions
        {
            ApiKey = email.SendGridApiKey,
            Host = options.Value.ApiBaseUrl.TrimEnd('/'),
            // Errors come back as the Response (HttpErrorAsException is false): the status and body decide the mapping.
            HttpErrorAsException = false,
        });

        Response response;
        try
        {
            // No retry here (SendGrid honours no idempotency key): the delivery service decides on the DeliveryException.
            response = await client.SendEmailAsync(Message(item, email, clientName), ct);
        }
        catch (Exception e) when (VendorErrors.Unreachable(Vendor, e, ct) is { } unreachable)
        {
            throw unreachable;
        }

        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return response.Headers.TryGetValues("X-Message-Id", out var ids) && ids.FirstOrDefault() is { Length: > 0 } id
                ? id
                : throw VendorErrors.AcceptedWithoutId(Vendor, status, "an X-Message-Id header");
        }

        var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(ct);
        var transient = VendorErrors.IsTransientStatus(status);
        throw new DeliveryException(
            $"{Vendor} refused the e-mail (HTTP {status}): {Errors(body) ?? response.StatusCode.ToString()}",
            permanent: !transient,
            VendorErrors.Status(response.StatusCode),
            transient ? RetryAfter(response) : null);
    }

    internal static SendGridMessage Message(OutboxItem item, EmailConfig email, string clientName)
    {
        var message = new SendGridMessage();
        message.SetFrom(new EmailAddress(email.FromAddress, email.FromName));
        message.AddTo(new EmailAddress(item.Recipient));
        message.SetGlobalSubject(item.Thread?.Subject ?? DefaultSubject(item, clientName));
        message.AddContent(MimeType.Text, item.Text);
        // Staff alerts carry their own HTML; every other e-mail's HTML part is its text, encoded.
        message.AddContent(MimeType.Html, item.HtmlBody ?? Html(item.Text));
        if (item.Thread is { } thread)
        {
            // RFC 5322 §3.6.4: message ids in angle brackets; References lists the chain, oldest first.
            if (thread.InReplyTo is { Length: > 0 } inReplyTo)
            {
                message.AddGlobalHeader("In-Reply-To", $"<{inReplyTo}>");
            }

            if (thread.References.Count > 0)
            {
                message.AddGlobalHeader("References", string.Join(' ', thread.References.Select(r => $"<{r}>")));
            }
        }

        message.AddGlobalCustomArg("outbox_id", item.Id);
        message.AddGlobalCustomArg("client_id", item.ClientId);
        return message;
    }

    /// <summary>The subject of an e-mail that answers none (the confirmation of an address typed in chat, a first message).</summary>
    private static string DefaultSubject(OutboxItem item, string clientName) =>
        item.Purpose == OutboxPurpose.EmailVerification ? $"Please confirm your e-mail address for {clientName}" : clientName;

    /// <summary>The same text as simple HTML: encoded, paragraphs on blank lines, line breaks kept.</summary>
    internal static string Html(string text)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        foreach (var paragraph in text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append("<p>").Append(string.Join("<br>", paragraph.Split('\n').Select(WebUtility.HtmlEncode))).Append("</p>");
        }

        return html.Append("</body></html>").ToString();
    }

    private TimeSpan? RetryAfter(Response response)
    {
        var now = clock.GetUtcNow();
        if (VendorErrors.RetryAfter(response.Headers, now) is { } retryAfter)
        {
            return retryAfter;
        }

        // SendGrid's own rate-limit header: the Unix time at which the limit resets.
        return response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var reset)
            && DateTimeOffset.FromUnixTimeSeconds(reset) is var at
            ? (at > now ? at - now : TimeSpan.Zero)
            : null;
    }

    /// <summary>"message (field)" of each entry of SendGrid's <c>errors</c> array.</summary>
    private static string? Errors(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var parts = errors.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => (Message: e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
                    Field: e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null))
                .Where(e => e.Message is not null)
                .Select(e => e.Field is null ? e.Message : $"{e.Message} ({e.Field})")
                .ToList();
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

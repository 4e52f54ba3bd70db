using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Infrastructure.Delivery;

/// <summary>
/// Sends a WhatsApp message through Meta's Cloud API: <c>POST {WhatsApp:GraphBaseUrl}/{WhatsApp:GraphVersion}/{phone-number-id}/messages</c>
/// with the client's access token as bearer. Plain HTTP: Meta publishes no .NET SDK for the Cloud API.
/// Request, response and error shapes: developers.facebook.com/docs/whatsapp/cloud-api/reference/messages (text and
/// template messages; the answer's <c>messages[0].id</c> is the wamid the status webhooks report) and
/// developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes (the Graph error object
/// <c>{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}</c>).
/// </summary>
public sealed class WhatsAppCloudSender(IHttpClientFactory httpClients, IOptions<WhatsAppApiOptions> options, TimeProvider clock)
{
    /// <summary>The named HttpClient; created per send (the sender is a singleton, so a typed client would pin one handler forever).</summary>
    public const string HttpClientName = "WhatsAppCloudApi";

    private const string Vendor = "WhatsApp Cloud API";

    /// <summary>
    /// Graph error codes that mean "later", whatever the HTTP status (Meta answers throttling with 400 too): 1 API unknown,
    /// 2 service unavailable, 4 too many calls, 80007 rate limit, 130429 throughput reached, 131000 something went wrong,
    /// 131016 service unavailable, 131056 pair rate limit (one message per ~6 s to one user), 133004 server unavailable.
    /// </summary>
    private static readonly HashSet<long> TransientCodes = [1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004];

    /// <summary>True when the client has what a Cloud API send needs.</summary>
    public static bool IsConfigured(ClientConfig? config) =>
        config?.WhatsApp is { PhoneNumberId.Length: > 0, AccessToken.Length: > 0 };

    public async Task<string> SendAsync(OutboxItem item, WhatsAppConfig whatsApp, CancellationToken ct)
    {
        var settings = options.Value;
        var url = new Uri(VendorUrl.AsBase(settings.GraphBaseUrl), $"{settings.GraphVersion}/{Uri.EscapeDataString(whatsApp.PhoneNumberId!)}/messages");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(Body(item)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", whatsApp.AccessToken);

        HttpResponseMessage response;
        try
        {
            // No retry here: a POST that timed out may have been sent; the delivery service decides on the DeliveryException.
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
        }
        catch (Exception e) when (VendorErrors.Unreachable(Vendor, e, ct) is { } unreachable)
        {
            throw unreachable;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                return MessageId(text) ?? throw VendorErrors.AcceptedWithoutId(Vendor, (int)response.StatusCode, "messages[0].id");
            }

            throw Refusal((int)response.StatusCode, text, VendorErrors.RetryAfter(response.Headers, clock.GetUtcNow()));
        }
    }

    /// <summary>A text message, or the approved template with its body parameters in order ({{1}}, {{2}}, …).</summary>
    internal static JsonObject Body(OutboxItem item)
    {
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = item.Recipient,
            // Echoed in the status webhooks (Cloud API messages reference): a report names our outbox item even when
            // the send's own answer (the wamid) was never recorded, e.g. after a crash.
            ["biz_opaque_callback_data"] = item.Id,
        };
        if (item.Template is { } template)
        {
            var content = new JsonObject { ["name"] = template.Name, ["language"] = new JsonObject { ["code"] = template.Language } };
            if (template.BodyParameters.Count > 0)
            {
                var parameters = new JsonArray([.. template.BodyParameters.Select(p => (JsonNode)new JsonObject { ["type"] = "text", ["text"] = p })]);
                content["components"] = new JsonArray(new JsonObject { ["type"] = "body", ["parameters"] = parameters });
            }

            body["type"] = "template";
            body["template"] = content;
        }
        else
        {
            body["type"] = "text";
            body["text"] = new JsonObject { ["preview_url"] = false, ["body"] = item.Text };
        }

        return body;
    }

    private static string? MessageId(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
                && messages[0].TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static DeliveryException Refusal(int status, string json, TimeSpan? retryAfter)
    {
        var (code, subcode, message, details) = GraphError(json);
        var transient = VendorErrors.IsTransientStatus(status) || (code is { } c && TransientCodes.Contains(c));
        var vendorCode = code?.ToString(CultureInfo.InvariantCulture) ?? status.ToString(CultureInfo.InvariantCulture);
        var what = $"{Vendor} refused the message (HTTP {status}, code {vendorCode}{(subcode is null ? "" : $", subcode {subcode}")}): {message ?? "no error message"}{(details is null ? "" : $" ({details})")}";
        return new DeliveryException(what, permanent: !transient, vendorCode, retryAfter);
    }

    private static (long? Code, long? Subcode, string? Message, string? Details) GraphError(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            static long? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
            static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var details = error.TryGetProperty("error_data", out var data) && data.ValueKind == JsonValueKind.Object ? Text(data, "details") : null;
            return (Number(error, "code"), Number(error, "error_subcode"), Text(error, "message"), details);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}

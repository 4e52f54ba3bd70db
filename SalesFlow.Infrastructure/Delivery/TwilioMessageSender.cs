using System.Globalization;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace SalesFlow.Infrastructure.Delivery;

/// <summary>
/// Sends SMS, and WhatsApp through Twilio (<c>whatsapp:</c> addresses), with the Twilio SDK's Messages resource
/// (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, Basic auth with the client's account SID and auth token).
/// Error shapes: twilio.com/docs/usage/twilios-response (error JSON <c>{code, message, more_info, status}</c>, which the
/// SDK turns into <see cref="ApiException"/> with Code and Status) and twilio.com/docs/api/errors (21211 invalid 'To',
/// 21610 unsubscribed recipient, 20429 too many requests).
/// </summary>
/// <param name="publicBaseUrl">SalesFlow:PublicBaseUrl: when set, Twilio reports each message's status to
/// <c>/api/webhooks/twilio/{clientId}/status</c> there; unset, no status callback is requested (Twilio needs a public URL).</param>
public sealed class TwilioMessageSender(IHttpClientFactory httpClients, TimeProvider clock, string? publicBaseUrl)
{
    /// <summary>The named HttpClient, whose handler sends the SDK's calls to Twilio:ApiBaseUrl (<see cref="TwilioBaseUrlHandler"/>).</summary>
    public const string HttpClientName = "TwilioApi";

    private const string Vendor = "Twilio";
    private const string WhatsAppPrefix = "whatsapp:";

    /// <summary>Twilio's error 20429 "Too Many Requests".</summary>
    private const int TooManyRequests = 20429;

    public static bool CanSendSms(ClientConfig? config) =>
        HasCredentials(config?.Twilio) && (config!.Twilio!.SmsFrom is { Length: > 0 } || config.Twilio.MessagingServiceSid is { Length: > 0 });

    public static bool CanSendWhatsApp(ClientConfig? config) =>
        HasCredentials(config?.Twilio) && config!.Twilio!.WhatsAppFrom is { Length: > 0 };

    private static bool HasCredentials(TwilioConfig? twilio) => twilio is { AccountSid.Length: > 0, AuthToken.Length: > 0 };

    public async Task<string> SendAsync(OutboxItem item, TwilioConfig twilio, CancellationToken ct)
    {
        if (item.Template is not null)
        {
            // Twilio sends WhatsApp templates as Content API items (a ContentSid), which a client's config does not name.
            throw new DeliveryException($"{Vendor} cannot send the WhatsApp template '{item.Template.Name}': Twilio needs a Content SID; configure whatsapp.phoneNumberId and whatsapp.accessToken to send templates through Meta.", permanent: true, "template_unsupported");
        }

        var options = Options(item, twilio);
        // One SDK HttpClient per send: its LastResponse (the headers, for Retry-After) then belongs to this call alone.
        var http = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName));
        var client = new TwilioRestClient(twilio.AccountSid, twilio.AuthToken, httpClient: http);
        try
        {
            // The SDK takes no CancellationToken; WaitAsync stops waiting (the request itself ends with the HttpClient's timeout).
            var message = await MessageResource.CreateAsync(options, client).WaitAsync(ct);
            return message?.Sid is { Length: > 0 } sid ? sid : throw VendorErrors.AcceptedWithoutId(Vendor, (int?)http.LastResponse?.StatusCode ?? 0, "a message sid");
        }
        catch (ApiException e) when (http.LastResponse?.StatusCode is { } accepted && (int)accepted is >= 200 and < 300)
        {
            // The SDK could not read a 2xx answer (not JSON, an HTML page): Twilio created the message all the same.
            throw VendorErrors.AcceptedWithoutId(Vendor, (int)accepted, $"a readable message resource ({e.Message})");
        }
        catch (ApiException e)
        {
            throw Refusal(e, e.Status, e.Code, e.MoreInfo, http.LastResponse);
        }
        catch (ApiStandardException e)
        {
            // RFC 9457 problem bodies (newer Twilio APIs); the SDK does not derive it from ApiException.
            throw Refusal(e, e.Status, e.Code, e.Type, http.LastResponse);
        }
        catch (ApiConnectionException e) when (VendorErrors.Unreachable(Vendor, e.InnerException ?? e, ct) is { } unreachable)
        {
            throw unreachable;
        }
        catch (ApiConnectionException e)
        {
            // A connection failure the SDK does not tell apart: the request may have gone out, so it is not retried.
            throw DeliveryException.Unanswered($"{Vendor} gave no answer: {e.Message}", e);
        }
    }

    internal CreateMessageOptions Options(OutboxItem item, TwilioConfig twilio)
    {
        var whatsApp = item.Channel == ChannelKind.WhatsApp;
        var options = new CreateMessageOptions(new PhoneNumber(whatsApp ? WhatsApp(item.Recipient) : item.Recipient)) { Body = item.Text };
        if (whatsApp)
        {
            options.From = new PhoneNumber(WhatsApp(twilio.WhatsAppFrom!));
        }
        else if (twilio.MessagingServiceSid is { Length: > 0 } service)
        {
            // A messaging service picks the sender from its pool (and handles opt-out keywords and compliance).
            options.MessagingServiceSid = service;
        }
        else
        {
            options.From = new PhoneNumber(twilio.SmsFrom);
        }

        if (publicBaseUrl is { Length: > 0 })
        {
            options.StatusCallback = new Uri($"{publicBaseUrl.TrimEnd('/')}/api/webhooks/twilio/{Uri.EscapeDataString(item.ClientId)}/status?outboxId={Uri.EscapeDataString(item.Id)}");
        }

        return options;
    }

    private static string WhatsApp(string address) =>
        address.StartsWith(WhatsAppPrefix, StringComparison.OrdinalIgnoreCase) ? address : WhatsAppPrefix + address;

    /// <param name="status">The SDK's status; 0 when the body was not Twilio's error JSON (an HTML 503 of a proxy, an
    /// empty 500), where the response's own status decides.</param>
    private DeliveryException Refusal(TwilioException e, int status, int code, string? moreInfo, Response? response)
    {
        status = status != 0 ? status : (int?)response?.StatusCode ?? 0;
        var transient = VendorErrors.IsTransientStatus(status) || code == TooManyRequests;
        var vendorCode = code != 0 ? code.ToString(CultureInfo.InvariantCulture) : status.ToString(CultureInfo.InvariantCulture);
        return new DeliveryException(
            $"{Vendor} refused the message (HTTP {status}, code {vendorCode}): {e.Message}{(moreInfo is null ? "" : $" ({moreInfo})")}",
            permanent: !transient,
            vendorCode,
            transient ? VendorErrors.RetryAfter(response?.Headers, clock.GetUtcNow()) : null,
            e);
    }
}

/// <summary>
/// Sends the Twilio SDK's requests to Twilio:ApiBaseUrl. Ours because the SDK has no base URL option: it builds
/// https://api.twilio.com/… (or api.{edge}.{region}.twilio.com) itself, so the scheme, host and port are replaced here,
/// below the SDK's <see cref="SystemNetHttpClient"/>, keeping its path and query.
/// </summary>
public sealed class TwilioBaseUrlHandler(IOptions<TwilioApiOptions> options) : DelegatingHandler
{
    protected override Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } original)
        {
            var target = VendorUrl.AsBase(options.Value.ApiBaseUrl);
            request.RequestUri = new Uri(target, original.PathAndQuery.TrimStart('/'));
        }

        return base.SendAsync(request, cancellationToken);
    }
}

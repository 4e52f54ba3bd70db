using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Tests.Support;

/// <summary>
/// How every signed webhook route of the demo client proves where it comes from, keyed by route pattern: the vendor's
/// signature over exactly the bytes sent (or, for Inbound Parse, the secret in the URL). Signs with the demo client's
/// secrets, or forges with a wrong one. A webhook route missing here fails the signature matrix.
/// </summary>
public sealed class WebhookSigning : IDisposable
{
    public const string CalComSecret = "whsec_abuse_calcom_7c7c7c";
    public const string HubSpotSecret = "hubspot-abuse-client-secret";

    private readonly ECDsa _sendGridKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _notSendGridKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The signature (or secret) field each webhook route names when it refuses a request.</summary>
    public static readonly IReadOnlyDictionary<string, string> SignatureField = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/api/webhooks/whatsapp/{clientId}"] = "X-Hub-Signature-256",
        ["/api/webhooks/twilio/{clientId}"] = "X-Twilio-Signature",
        ["/api/webhooks/twilio/{clientId}/status"] = "X-Twilio-Signature",
        ["/api/webhooks/email/{clientId}"] = "key",
        ["/api/webhooks/sendgrid/{clientId}/events"] = SendGridEventSignature.SignatureHeaderName,
        ["/api/webhooks/calcom/{clientId}"] = CalComSignature.HeaderName,
        ["/api/webhooks/hubspot/{clientId}"] = HubSpotSignature.V3HeaderName,
    };

    /// <summary>The demo client's config that makes every signed webhook verifiable (merge patch of /api/clients/demo/config).</summary>
    public string ConfigPatch => $$"""
        { "email": { "eventWebhookPublicKey": "{{Convert.ToBase64String(_sendGridKey.ExportSubjectPublicKeyInfo())}}" },
          "calcom": { "webhookSecret": "{{CalComSecret}}" },
          "hubspot": { "clientSecret": "{{HubSpotSecret}}" } }
        """;

    /// <summary>
    /// Signs <paramref name="request"/> (absolute URI, content set) as the vendor of <paramref name="pattern"/> would,
    /// or with a wrong secret when <paramref name="forged"/>; <paramref name="at"/> is the moment a vendor that signs a
    /// timestamp puts in it.
    /// </summary>
    public async Task SignAsync(string pattern, HttpRequestMessage request, bool forged = false, DateTimeOffset? at = null)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var when = at ?? DateTimeOffset.UtcNow;
        switch (pattern)
        {
            case "/api/webhooks/whatsapp/{clientId}":
                request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", MetaSignature.Compute(Secret(SalesFlowAppProcess.WhatsAppAppSecret, forged), body));
                break;
            case "/api/webhooks/twilio/{clientId}":
            case "/api/webhooks/twilio/{clientId}/status":
                // Over the fields as SalesFlow reads them for the signature, so a body that is no form still verifies.
                var fields = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? "")));
                request.Headers.TryAddWithoutValidation("X-Twilio-Signature", Webhooks.TwilioSignatureFor(Secret(SalesFlowAppProcess.TwilioAuthToken, forged), request.RequestUri!.AbsoluteUri, fields));
                break;
            case "/api/webhooks/email/{clientId}":
                var separator = request.RequestUri!.Query.Length > 0 ? "&" : "?";
                request.RequestUri = new Uri(request.RequestUri.AbsoluteUri + separator + "key=" + Uri.EscapeDataString(Secret(SalesFlowAppProcess.EmailWebhookSecret, forged)));
                break;
            case "/api/webhooks/sendgrid/{clientId}/events":
                var timestamp = when.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                var signature = (forged ? _notSendGridKey : _sendGridKey).SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                request.Headers.TryAddWithoutValidation(SendGridEventSignature.TimestampHeaderName, timestamp);
                request.Headers.TryAddWithoutValidation(SendGridEventSignature.SignatureHeaderName, Convert.ToBase64String(signature));
                break;
            case "/api/webhooks/calcom/{clientId}":
                request.Headers.TryAddWithoutValidation(CalComSignature.HeaderName, CalComSignature.Compute(Secret(CalComSecret, forged), body));
                break;
            case "/api/webhooks/hubspot/{clientId}":
                var ms = when.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                request.Headers.TryAddWithoutValidation(HubSpotSignature.TimestampHeaderName, ms);
                request.Headers.TryAddWithoutValidation(HubSpotSignature.V3HeaderName, HubSpotSignature.ComputeV3(Secret(HubSpotSecret, forged), request.Method.Method, request.RequestUri!.AbsoluteUri, body, ms));
                break;
            default:
                throw new ArgumentException($"no signer for webhook route {pattern}: add one here and to the signature matrix", nameof(pattern));
        }
    }

    public void Dispose()
    {
        _sendGridKey.Dispose();
        _notSendGridKey.Dispose();
    }

    private static string Secret(string secret, bool forged) => forged ? secret + "-forged" : secret;
}

using System.Text;
using SendGrid.Helpers.EventWebhook;

namespace SalesFlow.Infrastructure.Signatures;

/// <summary>
/// SendGrid Signed Event Webhook, verified with SendGrid's own validator (SendGrid 9.x,
/// <see cref="RequestValidator.ConvertPublicKeyToECDSA"/> + <see cref="RequestValidator.VerifySignature"/>):
/// <c>X-Twilio-Email-Event-Webhook-Signature</c> is a base64 DER ECDSA P-256/SHA-256 signature over
/// UTF-8(<c>X-Twilio-Email-Event-Webhook-Timestamp</c>) followed by the raw body.
/// </summary>
/// <remarks>
/// SendGrid signs with its private key and we only hold the public key, so there is no shared secret to leak. The body
/// must be byte-exact: SendGrid separates and terminates events with CRLF, and normalising line endings breaks the
/// signature. Ours around the validator: it takes the body as a string, so a body that is not valid UTF-8 is refused
/// before it is decoded (a lossy decode could change what is verified), and it throws on a malformed key or signature,
/// which here is an invalid request, not a server error.
/// </remarks>
public static class SendGridEventSignature
{
    public const string SignatureHeaderName = RequestValidator.SIGNATURE_HEADER;
    public const string TimestampHeaderName = RequestValidator.TIMESTAMP_HEADER;

    /// <summary>
    /// How far the signed timestamp may be from now. SendGrid documents no window; five minutes both ways is what
    /// HubSpot's SDKs, Stripe and Standard Webhooks use, and SendGrid signs each delivery attempt when it makes it.
    /// </summary>
    public static readonly TimeSpan MaxTimestampSkew = TimeSpan.FromMinutes(5);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when <paramref name="signatureBase64"/> is SendGrid's signature of timestamp + body. Never throws.</summary>
    /// <param name="publicKeyBase64Der">The verification key as shown in SendGrid (base64 DER SubjectPublicKeyInfo).</param>
    /// <param name="timestamp">The timestamp header, exactly as received.</param>
    /// <param name="body">The request body exactly as received.</param>
    /// <param name="signatureBase64">The signature header (base64 of a DER SEQUENCE { r, s }).</param>
    public static bool IsValid(string publicKeyBase64Der, string timestamp, ReadOnlySpan<byte> body, string? signatureBase64)
    {
        if (string.IsNullOrEmpty(publicKeyBase64Der) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureBase64))
        {
            return false;
        }

        string payload;
        try
        {
            payload = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var validator = new RequestValidator();
        try
        {
            return validator.VerifySignature(validator.ConvertPublicKeyToECDSA(publicKeyBase64Der), payload, signatureBase64, timestamp);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or IndexOutOfRangeException or InvalidOperationException)
        {
            // The validator's ECDSA library reports a malformed key or signature (bad base64, truncated or padded DER,
            // an RSA key, an unsupported curve) with these; each means the request is not validly signed.
            return false;
        }
    }

    /// <summary>
    /// True when <paramref name="timestamp"/> (Unix seconds, digits only, as SendGrid sends it) is within
    /// <see cref="MaxTimestampSkew"/> of now: a captured delivery replayed later, or one signed for the future, is not.
    /// </summary>
    public static bool IsFresh(string? timestamp, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var unixSeconds)
            && Math.Abs((decimal)clock.GetUtcNow().ToUnixTimeSeconds() - unixSeconds) <= (decimal)MaxTimestampSkew.TotalSeconds;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace SalesFlow.Core.Channels.Signatures;

/// <summary>
/// SendGrid Signed Event Webhook: <c>X-Twilio-Email-Event-Webhook-Signature</c> is a base64 DER ECDSA
/// P-256/SHA-256 signature over UTF-8(<c>X-Twilio-Email-Event-Webhook-Timestamp</c>) followed by the raw body.
/// </summary>
/// <remarks>
/// SendGrid signs with its private key and we only hold the public key, so unlike the HMAC schemes there is
/// no shared secret to leak. The body must be byte-exact: SendGrid separates and terminates events with CRLF,
/// and normalising line endings breaks the signature.
/// </remarks>
public static class SendGridEventSignature
{
    public const string SignatureHeaderName = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeaderName = "X-Twilio-Email-Event-Webhook-Timestamp";

    /// <summary>
    /// True when <paramref name="signatureBase64"/> is SendGrid's signature of timestamp + body.
    /// Never throws: a malformed key, signature or timestamp is an invalid request, not a server error.
    /// </summary>
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

        if (!TryFromBase64(publicKeyBase64Der, out var spki) || !TryFromBase64(signatureBase64, out var signature))
        {
            return false;
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out var read);

            // Trailing bytes after the key, or a key on another curve, mean the configuration is not what
            // SendGrid issued; refuse rather than verify against something unexpected.
            if (read != spki.Length || key.KeySize != 256)
            {
                return false;
            }

            var timestampBytes = Encoding.UTF8.GetBytes(timestamp);
            var signed = new byte[timestampBytes.Length + body.Length];
            timestampBytes.CopyTo(signed, 0);
            body.CopyTo(signed.AsSpan(timestampBytes.Length));

            // SendGrid's signature is DER (what Java/Go/Node emit), not the IEEE P1363 r||s .NET defaults to.
            return key.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // Not an EC SubjectPublicKeyInfo (an RSA key, truncated DER, ...).
            return false;
        }
    }

    private static bool TryFromBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return written > 0;
        }

        bytes = [];
        return false;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace SalesFlow.Infrastructure.Signatures;

/// <summary>
/// Cal.com webhook signatures: <c>X-Cal-Signature-256</c> is the lowercase hex HMAC-SHA256 of the raw request body,
/// keyed with the webhook's secret (Cal.com's sendPayload: createHmac("sha256", secret).update(body).digest("hex")).
/// Without a secret Cal.com sends no usable signature, so a client without calcom.webhookSecret is never trusted.
/// </summary>
public static class CalComSignature
{
    public const string HeaderName = "X-Cal-Signature-256";

    public static bool IsValid(string? secret, ReadOnlySpan<byte> rawBody, string? header)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(header))
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), rawBody, mac);
        return SignatureCompare.HexEquals(mac, header.Trim());
    }

    /// <summary>The header Cal.com would send for <paramref name="rawBody"/> (for our tests and tools).</summary>
    public static string Compute(string secret, ReadOnlySpan<byte> rawBody)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), rawBody, mac);
        return Convert.ToHexStringLower(mac);
    }
}

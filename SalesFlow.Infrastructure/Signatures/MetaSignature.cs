using System.Security.Cryptography;
using System.Text;

namespace SalesFlow.Infrastructure.Signatures;

/// <summary>
/// Meta (WhatsApp Cloud API) webhook signatures: <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256&gt;</c>
/// keyed with the app secret over the raw request body.
/// </summary>
/// <remarks>
/// The HMAC covers the exact bytes Meta sent. Parsing the JSON and serialising it again changes escapes,
/// key order and whitespace, so callers must hand over the body as received, before any model binding.
/// Ours because Meta publishes no .NET validator (only the algorithm and Node/Python samples).
/// </remarks>
public static class MetaSignature
{
    public const string HeaderName = "X-Hub-Signature-256";

    private const string Prefix = "sha256=";

    /// <summary>True when <paramref name="header"/> is <c>sha256=</c> plus the HMAC of <paramref name="rawBody"/>.</summary>
    /// <param name="appSecret">The Meta app secret (App settings, Basic).</param>
    /// <param name="rawBody">The request body exactly as received.</param>
    /// <param name="header">The X-Hub-Signature-256 value; null, empty or malformed is simply invalid.</param>
    public static bool IsValid(string appSecret, ReadOnlySpan<byte> rawBody, string? header)
    {
        // An empty secret would make every forged request "valid" for anyone who guesses it is unset.
        if (string.IsNullOrEmpty(appSecret) || header is null || !header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), rawBody, mac);

        // Meta sends lowercase hex; HexEquals also takes uppercase so a header normalised by a proxy still verifies.
        return SignatureCompare.HexEquals(mac, header.AsSpan(Prefix.Length));
    }

    /// <summary>The full header value Meta would send for <paramref name="rawBody"/> (for our own tests and tools).</summary>
    public static string Compute(string appSecret, ReadOnlySpan<byte> rawBody)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), rawBody, mac);
        return Prefix + Convert.ToHexStringLower(mac);
    }
}

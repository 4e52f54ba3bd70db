using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SalesFlow.Infrastructure.Signatures;

/// <summary>
/// HubSpot request signatures. v1 and v2 (<c>X-HubSpot-Signature</c>, version in
/// <c>X-HubSpot-Signature-Version</c>) are plain SHA-256 hex digests of the client secret concatenated with
/// the request; v3 (<c>X-HubSpot-Signature-v3</c>) is a base64 HMAC-SHA256 that also covers
/// <c>X-HubSpot-Request-Timestamp</c> (Unix milliseconds).
/// </summary>
/// <remarks>
/// v1/v2 carry no timestamp, so a captured request can be replayed forever; v3 is preferred whenever HubSpot
/// sends it and is checked against a clock with a five-minute window, as HubSpot's SDKs do. The clock is a
/// <see cref="TimeProvider"/> so tests can pin "now" to the vendor vector's moment. Ours because HubSpot ships no
/// .NET client with a signature validator (its Node and Python SDKs have one; their vectors are our tests).
/// </remarks>
public static class HubSpotSignature
{
    public const string V1V2HeaderName = "X-HubSpot-Signature";
    public const string VersionHeaderName = "X-HubSpot-Signature-Version";
    public const string V3HeaderName = "X-HubSpot-Signature-v3";
    public const string TimestampHeaderName = "X-HubSpot-Request-Timestamp";

    /// <summary>How far the v3 timestamp may be from now (HubSpot's SDKs reject anything older than 300 s).</summary>
    public static readonly TimeSpan MaxTimestampSkew = TimeSpan.FromMinutes(5);

    /// <summary>v1: hex SHA-256 of clientSecret + body (used by CRM webhook subscriptions).</summary>
    public static bool IsValidV1(string clientSecret, ReadOnlySpan<byte> body, string? signature) =>
        !string.IsNullOrEmpty(clientSecret) && !string.IsNullOrEmpty(signature)
        && SignatureCompare.HexEquals(HashV1(clientSecret, body), signature);

    /// <summary>v2: hex SHA-256 of clientSecret + method + uri + body (workflow actions, CRM cards).</summary>
    /// <param name="uri">The full request URI HubSpot called, including query string.</param>
    public static bool IsValidV2(string clientSecret, string method, string uri, ReadOnlySpan<byte> body, string? signature) =>
        !string.IsNullOrEmpty(clientSecret) && !string.IsNullOrEmpty(signature)
        && SignatureCompare.HexEquals(HashV2(clientSecret, method, uri, body), signature);

    /// <summary>
    /// v3: base64 HMAC-SHA256(clientSecret, method + uri + body + timestamp), and the timestamp within
    /// <see cref="MaxTimestampSkew"/> of <paramref name="clock"/>'s now. The window is applied both ways: a
    /// timestamp far in the future is as suspect as an old one and would otherwise extend a replay's life.
    /// </summary>
    /// <param name="timestamp">X-HubSpot-Request-Timestamp exactly as received (Unix milliseconds).</param>
    public static bool IsValidV3(
        string clientSecret,
        string method,
        string uri,
        ReadOnlySpan<byte> body,
        string? timestamp,
        string? signature,
        TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return IsFresh(timestamp, clock) && VerifiesV3(clientSecret, method, uri, body, timestamp, signature);
    }

    /// <summary>
    /// The v3 signature alone, whatever the timestamp's age: with <see cref="IsFresh"/> apart, a caller can tell a
    /// forged request from a genuine one replayed too late.
    /// </summary>
    public static bool VerifiesV3(string clientSecret, string method, string uri, ReadOnlySpan<byte> body, string? timestamp, string? signature) =>
        !string.IsNullOrEmpty(clientSecret) && !string.IsNullOrEmpty(signature) && !string.IsNullOrEmpty(timestamp)
        && SignatureCompare.TextEquals(ComputeV3(clientSecret, method, uri, body, timestamp), signature);

    /// <summary>The v1 signature (lowercase hex) HubSpot would send.</summary>
    public static string ComputeV1(string clientSecret, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HashV1(clientSecret, body));

    /// <summary>The v2 signature (lowercase hex) HubSpot would send.</summary>
    public static string ComputeV2(string clientSecret, string method, string uri, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HashV2(clientSecret, method, uri, body));

    /// <summary>The v3 signature (base64) HubSpot would send; the timestamp is signed as given.</summary>
    public static string ComputeV3(string clientSecret, string method, string uri, ReadOnlySpan<byte> body, string timestamp)
    {
        var message = Concat(Encoding.UTF8.GetBytes(method + uri), body, Encoding.UTF8.GetBytes(timestamp));
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), message));
    }

    private static byte[] HashV1(string clientSecret, ReadOnlySpan<byte> body) =>
        SHA256.HashData(Concat(Encoding.UTF8.GetBytes(clientSecret), body, []));

    private static byte[] HashV2(string clientSecret, string method, string uri, ReadOnlySpan<byte> body) =>
        SHA256.HashData(Concat(Encoding.UTF8.GetBytes(clientSecret + method + uri), body, []));

    /// <summary>True when the v3 timestamp (Unix milliseconds) is within <see cref="MaxTimestampSkew"/> of now.</summary>
    public static bool IsFresh(string? timestamp, TimeProvider clock)
    {
        // Digits only: a sign, spaces or a decimal point are not something HubSpot sends.
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs))
        {
            return false;
        }

        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return Math.Abs((decimal)nowMs - unixMs) <= (decimal)MaxTimestampSkew.TotalMilliseconds;
    }

    // The body goes in as bytes, not a string, so what is hashed is exactly what HubSpot sent.
    private static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        var result = new byte[first.Length + second.Length + third.Length];
        first.CopyTo(result);
        second.CopyTo(result.AsSpan(first.Length));
        third.CopyTo(result.AsSpan(first.Length + second.Length));
        return result;
    }
}

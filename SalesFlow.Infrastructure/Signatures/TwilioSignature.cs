using System.Text;
using Twilio.Security;

namespace SalesFlow.Infrastructure.Signatures;

/// <summary>
/// Twilio request validation with Twilio's own <see cref="RequestValidator"/> (Twilio 8.x): <c>X-Twilio-Signature</c> =
/// Base64(HMAC-SHA1(auth token, URL + sorted form parameters)) for form posts, or over the URL alone for JSON posts whose
/// URL carries <c>bodySHA256</c>. The validator also tries the URL's default-port twin (":443"/":80" added when absent,
/// the port stripped when present), because load balancers and Azure Functions add or drop it.
/// </summary>
/// <remarks>
/// Ours, around the validator, because it fails three of Twilio's own vectors (twilio-node's, in the fixtures) and one
/// port case:
/// <list type="bullet">
/// <item>repeated form keys (array parameters): it takes one value per key, while Twilio signs key+value for each distinct
/// value in order, so the values of a repeated key are folded into one (<see cref="OneValuePerKey"/>);</item>
/// <item>a query that Twilio re-serialised before signing (twilio-node signs <c>It's</c> as <c>It%27s</c>): the URL is
/// also tried with its query percent-encoded as a WHATWG URL parser does (<see cref="EncodeQueryLikeWhatwg"/>);</item>
/// <item>an explicit default port (https://host:443/…) is not stripped by it (<see cref="WithoutExplicitDefaultPort"/>);</item>
/// <item>a missing signature or URL is "invalid", not an <see cref="ArgumentException"/>.</item>
/// </list>
/// </remarks>
public static class TwilioSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when <paramref name="signature"/> signs <paramref name="url"/> with these form parameters.</summary>
    /// <param name="authToken">The account's auth token (the HMAC key).</param>
    /// <param name="url">The full URL Twilio requested, including query string.</param>
    /// <param name="formParams">The POSTed form fields; a key may repeat (array parameters).</param>
    /// <param name="signature">The X-Twilio-Signature header; null or empty is invalid.</param>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParams, string? signature)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(url) || string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var validator = new RequestValidator(authToken);
        var parameters = OneValuePerKey(formParams);
        return Validates(url, u => validator.Validate(u, parameters, signature));
    }

    /// <summary>
    /// True for a JSON (or other non-form) post: the signature covers the URL only, and the URL's
    /// <c>bodySHA256</c> query parameter must equal the lowercase hex SHA-256 of the body. Both must hold:
    /// the signature authenticates the hash, the hash authenticates the body; a URL without the hash is never valid.
    /// </summary>
    public static bool IsValidJsonBody(string authToken, string url, ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(url) || string.IsNullOrEmpty(signature))
        {
            return false;
        }

        // The validator hashes the body as a string: a body that is not UTF-8 would not survive the round trip.
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var validator = new RequestValidator(authToken);
        return Validates(url, u => validator.Validate(u, text, signature));
    }

    private static bool Validates(string url, Func<string, bool> validate)
    {
        try
        {
            var received = WithoutExplicitDefaultPort(url);
            var encoded = EncodeQueryLikeWhatwg(received);
            return validate(received) || (!string.Equals(encoded, received, StringComparison.Ordinal) && validate(encoded));
        }
        catch (UriFormatException)
        {
            // The validator parses the URL to build its port twin; a URL that is not one cannot have been signed.
            return false;
        }
    }

    /// <summary>
    /// One entry per key for <see cref="RequestValidator"/>, which appends key+value per key in ordinal key order. A
    /// repeated key's distinct values, sorted ordinally, are joined with the key between them, so the validator signs
    /// "KaKb" as Twilio does for K=[b,a]; an identical key/value pair counts once (Twilio's vector
    /// <c>Digits=[5678,1234,1234]</c> only verifies that way).
    /// </summary>
    internal static Dictionary<string, string> OneValuePerKey(IEnumerable<KeyValuePair<string, string>> formParams) =>
        formParams
            .GroupBy(p => p.Key ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => string.Join(g.Key, g.Select(p => p.Value ?? string.Empty).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
                StringComparer.Ordinal);

    /// <summary>
    /// The URL without an explicit default port (":443" for https, ":80" for http). Twilio's validator tries the port
    /// twin of what it is given, but .NET's Uri reports no port for an explicit default one, so it never tries
    /// "https://host:443/x" as "https://host/x"; given "https://host/x" it tries both. Done on the string: Uri would
    /// lower-case the host and unescape the query and so change what is signed.
    /// </summary>
    internal static string WithoutExplicitDefaultPort(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return url;
        }

        var scheme = url.AsSpan(0, schemeEnd);
        var defaultPort = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443"
            : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? ":80"
            : null;
        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        authorityEnd = authorityEnd < 0 ? url.Length : authorityEnd;

        // An IPv6 literal ends with ']', so its own colons never match.
        return defaultPort is not null && url.AsSpan(authorityStart, authorityEnd - authorityStart).EndsWith(defaultPort, StringComparison.Ordinal)
            ? url.Remove(authorityEnd - defaultPort.Length, defaultPort.Length)
            : url;
    }

    /// <summary>
    /// Percent-encodes the query with the WHATWG "special-query percent-encode set" (C0 controls, space,
    /// <c>"</c>, <c>#</c>, <c>&lt;</c>, <c>&gt;</c>, <c>'</c> and non-ASCII as UTF-8). Existing escapes are kept.
    /// </summary>
    internal static string EncodeQueryLikeWhatwg(string url)
    {
        var queryStart = url.IndexOf('?');
        if (queryStart < 0)
        {
            return url;
        }

        var fragmentStart = url.IndexOf('#', queryStart);
        var queryEnd = fragmentStart < 0 ? url.Length : fragmentStart;

        var builder = new StringBuilder(url.Length + 16);
        builder.Append(url, 0, queryStart + 1);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = queryStart + 1; i < queryEnd; i++)
        {
            var c = url[i];
            if (c > 0x20 && c < 0x7F && c is not ('"' or '#' or '<' or '>' or '\''))
            {
                builder.Append(c);
                continue;
            }

            // Surrogate pairs are one code point; an unpaired surrogate becomes U+FFFD as in the URL standard.
            var rune = Rune.TryGetRuneAt(url, i, out var r) ? r : Rune.ReplacementChar;
            if (rune.Utf16SequenceLength == 2)
            {
                i++;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        builder.Append(url, queryEnd, url.Length - queryEnd);
        return builder.ToString();
    }
}

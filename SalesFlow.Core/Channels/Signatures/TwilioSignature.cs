using System.Security.Cryptography;
using System.Text;

namespace SalesFlow.Core.Channels.Signatures;

/// <summary>
/// Twilio request validation: <c>X-Twilio-Signature</c> = Base64(HMAC-SHA1(auth token, URL + sorted form
/// parameters)) for form posts, or over the URL alone for JSON posts whose URL carries <c>bodySHA256</c>.
/// </summary>
/// <remarks>
/// Twilio signs the URL it called, which is not always the URL our host reports: load balancers and Azure
/// Functions add or drop the default port, and Twilio's own SDKs re-serialise the URL before signing. So, like
/// the official validators, we try a small fixed set of spellings of the same URL, never a looser comparison.
/// </remarks>
public static class TwilioSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    private const string BodyHashParameter = "bodySHA256";

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

        var parameters = SortedParameterString(formParams);
        return MatchesAnyUrlVariant(authToken, url, parameters, signature);
    }

    /// <summary>
    /// True for a JSON (or other non-form) post: the signature covers the URL only, and the URL's
    /// <c>bodySHA256</c> query parameter must equal the lowercase hex SHA-256 of the body. Both must hold:
    /// the signature authenticates the hash, the hash authenticates the body.
    /// </summary>
    public static bool IsValidJsonBody(string authToken, string url, ReadOnlySpan<byte> body, string? signature)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(url) || string.IsNullOrEmpty(signature))
        {
            return false;
        }

        // Without the hash in the URL nothing ties the body to the signature, so such a request is never valid.
        var bodyHash = QueryValue(url, BodyHashParameter);
        if (bodyHash is null)
        {
            return false;
        }

        Span<byte> actualHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, actualHash);
        var bodyMatches = SignatureCompare.HexEquals(actualHash, bodyHash);

        // Evaluate both checks so timing does not reveal which one failed.
        var signatureMatches = MatchesAnyUrlVariant(authToken, url, string.Empty, signature);
        return bodyMatches & signatureMatches;
    }

    /// <summary>The signature Twilio would send for this exact URL and form (no URL variants are tried).</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParams) =>
        Sign(authToken, url, SortedParameterString(formParams));

    private static bool MatchesAnyUrlVariant(string authToken, string url, string parameters, string signature)
    {
        // Non-short-circuit OR over a fixed list: every variant is always computed.
        var valid = false;
        foreach (var candidate in UrlVariants(url))
        {
            valid |= SignatureCompare.TextEquals(Sign(authToken, candidate, parameters), signature);
        }

        return valid;
    }

    private static string Sign(string authToken, string url, string parameters)
    {
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(url + parameters));
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// key+value for every field, sorted by key then value (ordinal, like Twilio's servers, not culture order).
    /// An identical key/value pair counts once: twilio-node and twilio-python sign the set of values of an
    /// array parameter, and Twilio's vector for <c>Digits=[5678,1234,1234]</c> only verifies that way.
    /// </summary>
    private static string SortedParameterString(IEnumerable<KeyValuePair<string, string>> formParams)
    {
        var pairs = formParams
            .Select(p => (Key: p.Key ?? string.Empty, Value: p.Value ?? string.Empty))
            .Distinct()
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);

        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            builder.Append(key).Append(value);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The URL as received, its default-port twin (":443"/":80" added when absent, any port stripped when
    /// present), and the same two with the query percent-encoded the way a WHATWG URL parser re-serialises it
    /// (twilio-node signs <c>It's</c> as <c>It%27s</c>). Host case, credentials and path are never changed:
    /// Twilio signs the host exactly as configured, so lower-casing it would accept signatures for another URL.
    /// </summary>
    private static IEnumerable<string> UrlVariants(string url)
    {
        var variants = new List<string>(4) { url };
        AddPortTwin(variants, url);

        var encoded = EncodeQueryLikeWhatwg(url);
        if (!string.Equals(encoded, url, StringComparison.Ordinal))
        {
            variants.Add(encoded);
            AddPortTwin(variants, encoded);
        }

        return variants;
    }

    private static void AddPortTwin(List<string> variants, string url)
    {
        var twin = TogglePort(url);
        if (twin is not null)
        {
            variants.Add(twin);
        }
    }

    /// <summary>
    /// Adds the scheme's default port when the URL has none, or removes the port when it has one.
    /// Done on the string rather than through <see cref="Uri"/>, which would lower-case the host and
    /// unescape the query and so change what is signed. Returns null when there is nothing to toggle.
    /// </summary>
    private static string? TogglePort(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return null;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        // Credentials (user:pass@) may contain ':' too; the port can only follow the last '@'.
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        var hostStart = at >= 0 ? at + 1 : authorityStart;
        var host = url.AsSpan(hostStart, authorityEnd - hostStart);

        int colon;
        if (host.StartsWith("["))
        {
            // IPv6 literal: its own colons are inside the brackets.
            var close = host.IndexOf(']');
            colon = close >= 0 && close + 1 < host.Length && host[close + 1] == ':' ? close + 1 : -1;
        }
        else
        {
            colon = host.LastIndexOf(':');
        }

        if (colon >= 0)
        {
            return string.Concat(url.AsSpan(0, hostStart + colon), url.AsSpan(authorityEnd));
        }

        var scheme = url.AsSpan(0, schemeEnd);
        var defaultPort = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443"
            : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? ":80"
            : null;

        return defaultPort is null ? null : url.Insert(authorityEnd, defaultPort);
    }

    /// <summary>
    /// Percent-encodes the query with the WHATWG "special-query percent-encode set" (C0 controls, space,
    /// <c>"</c>, <c>#</c>, <c>&lt;</c>, <c>&gt;</c>, <c>'</c> and non-ASCII as UTF-8). Existing escapes are kept.
    /// </summary>
    private static string EncodeQueryLikeWhatwg(string url)
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

    /// <summary>The raw value of the first <paramref name="name"/> parameter in the URL's query, or null.</summary>
    private static string? QueryValue(string url, string name)
    {
        var queryStart = url.IndexOf('?');
        if (queryStart < 0)
        {
            return null;
        }

        var fragmentStart = url.IndexOf('#', queryStart);
        var query = url.AsSpan(queryStart + 1, (fragmentStart < 0 ? url.Length : fragmentStart) - queryStart - 1);
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            if (equals >= 0 && pair[..equals].SequenceEqual(name))
            {
                return pair[(equals + 1)..].ToString();
            }
        }

        return null;
    }
}

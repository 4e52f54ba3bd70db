using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SalesFlow.Infrastructure.Azure.StorageQueues;

/// <summary>
/// Shared Key authorization for the Blob/Queue/File services, version 2009-09-19 and later
/// ("Authorize with Shared Key"): <c>Authorization: SharedKey account:base64(HMAC-SHA256(key, StringToSign))</c>.
/// </summary>
public sealed class StorageSharedKey
{
    private readonly byte[] _key;

    public StorageSharedKey(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The storage account key is not valid base64.", nameof(accountKey), e);
        }
    }

    public string AccountName { get; }

    /// <summary>
    /// The string to sign:
    /// <code>
    /// VERB\nContent-Encoding\nContent-Language\nContent-Length\nContent-MD5\nContent-Type\nDate\n
    /// If-Modified-Since\nIf-Match\nIf-None-Match\nIf-Unmodified-Since\nRange\n
    /// CanonicalizedHeaders CanonicalizedResource
    /// </code>
    /// Content-Length is empty when zero (version 2015-02-21 and later); Date is empty because
    /// <c>x-ms-date</c> is sent. CanonicalizedHeaders: every <c>x-ms-*</c> header, lower-case name,
    /// sorted, <c>name:value\n</c>. CanonicalizedResource: <c>/account</c> + the encoded URI path,
    /// then each query parameter, lower-case name, sorted, decoded values joined by commas, as
    /// <c>\nname:value</c>. For a path-style (emulator) URI the path already starts with the account,
    /// so the resource reads <c>/devstoreaccount1/devstoreaccount1/queue</c>.
    /// </summary>
    public static string StringToSign(
        string method,
        string accountName,
        string encodedPath,
        IEnumerable<KeyValuePair<string, string>> query,
        IEnumerable<KeyValuePair<string, string>> headers,
        long contentLength,
        string? contentType,
        string? contentMd5 = null)
    {
        var sb = new StringBuilder();
        sb.Append(method.ToUpperInvariant()).Append('\n');
        sb.Append('\n'); // Content-Encoding
        sb.Append('\n'); // Content-Language
        sb.Append(contentLength > 0 ? contentLength.ToString(CultureInfo.InvariantCulture) : "").Append('\n');
        sb.Append(contentMd5).Append('\n');
        sb.Append(contentType).Append('\n');
        sb.Append('\n'); // Date (x-ms-date is used)
        sb.Append('\n'); // If-Modified-Since
        sb.Append('\n'); // If-Match
        sb.Append('\n'); // If-None-Match
        sb.Append('\n'); // If-Unmodified-Since
        sb.Append('\n'); // Range

        foreach (var header in headers
                     .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Key.ToLowerInvariant().Trim(), Value: h.Value.Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            sb.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        sb.Append('/').Append(accountName).Append(string.IsNullOrEmpty(encodedPath) ? "/" : encodedPath);
        foreach (var parameter in query
                     .GroupBy(p => p.Key.ToLowerInvariant())
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append('\n').Append(parameter.Key).Append(':').Append(string.Join(',', parameter.Select(p => p.Value)));
        }

        return sb.ToString();
    }

    /// <summary>base64(HMAC-SHA256(accountKey, UTF-8(stringToSign))).</summary>
    public string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The <c>Authorization</c> header value: <c>SharedKey account:signature</c>.</summary>
    public string AuthorizationHeader(string stringToSign) => $"SharedKey {AccountName}:{Sign(stringToSign)}";
}

using System.Security.Cryptography;
using System.Text;

namespace SalesFlow.Core.Common;

public static class Ids
{
    /// <summary>A new random id, URL-safe and sortable enough for logs.</summary>
    public static string New(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";

    /// <summary>
    /// A deterministic id from natural keys, so a retried write lands on the same record
    /// (the record itself is then the dedupe key).
    /// </summary>
    public static string Deterministic(string prefix, params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return $"{prefix}_{Convert.ToHexStringLower(hash.AsSpan(0, 16))}";
    }

    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}

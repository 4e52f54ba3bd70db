using System.Security.Cryptography;
using System.Text;

namespace SalesFlow.Infrastructure.Signatures;

/// <summary>
/// Constant-time comparisons shared by the webhook verifiers. An ordinary string compare stops at the
/// first differing character, which lets an attacker learn a valid signature byte by byte from response
/// timings; <see cref="CryptographicOperations.FixedTimeEquals"/> always looks at every byte.
/// </summary>
internal static class SignatureCompare
{
    /// <summary>
    /// Compares a signature we computed (as text, e.g. base64) with the one a request carried, byte for byte.
    /// Base64 is compared in its encoded form on purpose: decoding first would accept variants
    /// (whitespace, missing padding) that the vendor never sends.
    /// </summary>
    public static bool TextEquals(string expected, string? provided)
    {
        if (string.IsNullOrEmpty(provided))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(provided));
    }

    /// <summary>
    /// Compares a digest with a hex string in any letter case. Vendors document lowercase hex but proxies
    /// and hand-written clients sometimes upper-case it; decoding makes the comparison case-blind without
    /// a culture-sensitive string compare. Anything that is not exactly the digest's length in hex is false.
    /// </summary>
    public static bool HexEquals(ReadOnlySpan<byte> expected, ReadOnlySpan<char> providedHex)
    {
        if (providedHex.Length != expected.Length * 2)
        {
            return false;
        }

        Span<byte> provided = stackalloc byte[expected.Length];
        var status = Convert.FromHexString(providedHex, provided, out _, out var written);
        return status == System.Buffers.OperationStatus.Done
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, provided);
    }
}

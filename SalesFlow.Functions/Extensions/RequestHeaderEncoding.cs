using System.Text;
using SalesFlow.Core.Common;

namespace SalesFlow.Functions.Extensions;

/// <summary>
/// How Kestrel decodes request header values (<c>KestrelServerOptions.RequestHeaderEncodingSelector</c>): UTF-8, but a
/// value holding a NUL or bytes that are not UTF-8 becomes the single <see cref="Unreadable"/> mark instead.
/// </summary>
/// <remarks>
/// Kestrel refuses such a value itself while parsing the request, before any middleware runs, with a bare 400 and no
/// body (its default decoding throws on invalid UTF-8, and it checks every decoded value for NUL). A custom encoding is
/// the one hook it offers there: the mark is a noncharacter that passes Kestrel's checks, and
/// <see cref="ErrorHandling"/> answers a request carrying it with problem+json naming the header. CR and LF inside a
/// value, a NUL in a header name and a NUL in the request line are still refused by Kestrel alone.
/// </remarks>
public sealed class RequestHeaderEncoding : Encoding
{
    /// <summary>U+FFFF, a noncharacter: never text, so an honest header never carries it.</summary>
    public const char Unreadable = '\uFFFF';

    public static RequestHeaderEncoding Instance { get; } = new();

    public override int GetCharCount(byte[] bytes, int index, int count) => Decode(bytes.AsSpan(index, count)).Length;

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        var text = Decode(bytes.AsSpan(byteIndex, byteCount));
        text.CopyTo(chars.AsSpan(charIndex));
        return text.Length;
    }

    public override int GetMaxCharCount(int byteCount) => Math.Max(byteCount, 1);

    // Kestrel only decodes with it; encoding is plain UTF-8.
    public override int GetByteCount(char[] chars, int index, int count) => UTF8.GetByteCount(chars, index, count);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) => UTF8.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    public override int GetMaxByteCount(int charCount) => UTF8.GetMaxByteCount(charCount);

    private static string Decode(ReadOnlySpan<byte> bytes) =>
        bytes.Contains((byte)0) || ReadableText.TryDecodeUtf8(bytes) is not { } text ? Unreadable.ToString() : text;
}

using SalesFlow.Core.Common;

namespace SalesFlow.Core.Channels.Parsing;

/// <summary>
/// A strict reader of <c>application/x-www-form-urlencoded</c> bytes: '+' is a space, each <c>%XY</c> is one byte, and
/// the bytes of each name and value are read as UTF-8. Unlike the lenient readers (which keep an escape that is not
/// UTF-8 as the literal text "%FF", the same text "%25FF" decodes to), a name or value that is not text is null.
/// </summary>
public static class FormUrlEncoded
{
    public static IReadOnlyList<(string? Key, string? Value)> Read(ReadOnlySpan<byte> body)
    {
        var fields = new List<(string?, string?)>();
        foreach (var range in body.Split((byte)'&'))
        {
            var pair = body[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf((byte)'=');
            var key = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            fields.Add((key, value));
        }

        return fields;
    }

    private static string? Decode(ReadOnlySpan<byte> encoded)
    {
        var bytes = new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == (byte)'+')
            {
                b = (byte)' ';
            }
            else if (b == (byte)'%' && i + 2 < encoded.Length && HexValue(encoded[i + 1]) is var high and >= 0 && HexValue(encoded[i + 2]) is var low and >= 0)
            {
                b = (byte)((high << 4) | low);
                i += 2;
            }

            bytes[length++] = b;
        }

        return ReadableText.TryDecodeUtf8(bytes.AsSpan(0, length));
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}

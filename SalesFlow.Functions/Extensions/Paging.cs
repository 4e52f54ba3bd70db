using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SalesFlow.Core.Common;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Extensions;

/// <summary>Which page a list route is asked for: after <see cref="After"/> (null: the first page), at most <see cref="Limit"/> items.</summary>
public sealed record PageRequest(PagePosition? After, int Limit);

/// <summary>
/// The one way list routes page: <c>?cursor=&amp;limit=</c> in, <c>next</c> in the body (null on the last page). A cursor
/// is base64url of a keyset position (sort key and id of the last item shown) and a MAC over it and the listing it
/// belongs to (route, its path id and filters), keyed by the calling client's API key hash. So a changed cursor, one
/// from another route, other filters or another client is refused with 400 naming <c>cursor</c>; and a cursor never
/// selects data: the client always comes from the key, the position only says where to go on.
/// </summary>
public static class Paging
{
    private const byte Version = 1;
    private const int MacBytes = 16;
    private const int MaxCursorLength = 400;
    private const int MaxIdBytes = 200;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The listing a cursor is bound to: the route's name and every path id and filter that shapes its rows.</summary>
    public static string Listing(string route, params string?[] scope) => JsonSerializer.Serialize(new[] { route }.Concat(scope));

    /// <summary>Reads <c>cursor</c> and <c>limit</c> (1..<paramref name="maxLimit"/>, default <paramref name="defaultLimit"/>); a 400 problem naming the bad one, or null.</summary>
    public static IResult? TryRead(HttpContext http, string listing, string? cursor, string? limit, int defaultLimit, int maxLimit, out PageRequest request)
    {
        request = new PageRequest(null, defaultLimit);
        var take = defaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > maxLimit))
        {
            return ErrorHandling.BadField(http, "limit", $"limit must be a whole number between 1 and {maxLimit}.");
        }

        if (string.IsNullOrEmpty(cursor))
        {
            request = request with { Limit = take };
            return null;
        }

        if (Decode(http, listing, cursor) is not { } after)
        {
            return ErrorHandling.BadField(http, "cursor", "cursor is not one this listing handed out (a cursor is bound to its route, filters and API key); start again without it.");
        }

        request = new PageRequest(after, take);
        return null;
    }

    /// <summary>The opaque cursor of the page after <paramref name="next"/>; null when there is none.</summary>
    public static string? Cursor(HttpContext http, string listing, PagePosition? next)
    {
        if (next is not { } position)
        {
            return null;
        }

        var id = Encoding.UTF8.GetBytes(position.Id);
        var bytes = new byte[1 + sizeof(long) + id.Length + MacBytes];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), position.Key);
        id.CopyTo(bytes, 1 + sizeof(long));
        Mac(http, listing, bytes.AsSpan(0, bytes.Length - MacBytes)).CopyTo(bytes.AsSpan(bytes.Length - MacBytes));
        return Base64Url.EncodeToString(bytes);
    }

    private static PagePosition? Decode(HttpContext http, string listing, string cursor)
    {
        if (cursor.Length > MaxCursorLength || !Base64Url.IsValid(cursor))
        {
            return null;
        }

        var bytes = Base64Url.DecodeFromChars(cursor);
        if (bytes.Length < 1 + sizeof(long) + MacBytes || bytes.Length > 1 + sizeof(long) + MaxIdBytes + MacBytes || bytes[0] != Version)
        {
            return null;
        }

        var signed = bytes.AsSpan(0, bytes.Length - MacBytes);
        if (!CryptographicOperations.FixedTimeEquals(Mac(http, listing, signed), bytes.AsSpan(bytes.Length - MacBytes)))
        {
            return null;
        }

        // Only this app writes what the MAC covers, so the id is the UTF-8 it encoded.
        return new PagePosition(BinaryPrimitives.ReadInt64BigEndian(signed[1..]), StrictUtf8.GetString(signed[(1 + sizeof(long))..]));
    }

    private static byte[] Mac(HttpContext http, string listing, ReadOnlySpan<byte> signed)
    {
        // Keyed per client: the stored hash of its API key is stable across restarts and instances and never leaves the server.
        var client = ClientAuthenticator.CurrentClient(http);
        var key = SHA256.HashData(Encoding.UTF8.GetBytes($"salesflow-cursor\n{client.Id}\n{client.ApiKeyHash}"));
        var listingBytes = Encoding.UTF8.GetBytes(listing);
        var data = new byte[listingBytes.Length + 1 + signed.Length];
        listingBytes.CopyTo(data, 0);
        signed.CopyTo(data.AsSpan(listingBytes.Length + 1));
        return HMACSHA256.HashData(key, data)[..MacBytes];
    }
}

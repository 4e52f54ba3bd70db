using System.Globalization;
using System.Text.Json;

namespace SalesFlow.Core.Channels.Parsing;

/// <summary>Tolerant accessors for provider JSON: wrong kinds read as absent instead of throwing.</summary>
internal static class JsonFields
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Parses one JSON document from raw bytes (a leading UTF-8 BOM is allowed); bad JSON is a <see cref="WebhookFormatException"/>.</summary>
    public static JsonDocument ParseDocument(ReadOnlySpan<byte> raw, string field = "body")
    {
        if (raw.StartsWith(Utf8Bom))
        {
            raw = raw[Utf8Bom.Length..];
        }

        try
        {
            var reader = new Utf8JsonReader(raw, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
            var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                throw new WebhookFormatException("The body has content after the JSON value.", field);
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new WebhookFormatException($"The body is not valid JSON: {ex.Message}", field);
        }
    }

    public static JsonElement? Obj(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    public static IEnumerable<JsonElement> Arr(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>A string, number or boolean property as text; null when absent, null or structured.</summary>
    public static string? Str(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    public static string? Str(this JsonElement? element, string name) => element is { } e ? e.Str(name) : null;

    public static bool Flag(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>Unix seconds given as a number or a numeric string.</summary>
    public static DateTimeOffset? UnixSeconds(this JsonElement element, string name)
    {
        var text = element.Str(name);
        if (text is null || !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            if (text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fractional)
                && fractional is >= 0 and < 253402300800)
            {
                return DateTimeOffset.UnixEpoch.AddSeconds(fractional);
            }

            return null;
        }

        return seconds is >= 0 and < 253402300800 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    public static bool IsBlank(this string? value) => string.IsNullOrWhiteSpace(value);
}

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
            JsonValueKind.String => ReadString(value, name),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    public static string? Str(this JsonElement? element, string name) => element is { } e ? e.Str(name) : null;

    /// <summary>
    /// The path of the first string value or property name inside <paramref name="element"/> that is not text (invalid
    /// UTF-8 bytes or a lone surrogate escape, which the reader only notices when the string is read), or null.
    /// </summary>
    public static string? FirstUnreadable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsReadable(element) ? null : path;

            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path + ".(name)";
                    }

                    if (FirstUnreadable(property.Value, path + "." + name) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;

            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUnreadable(item, path + "[]") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;

            default:
                return null;
        }
    }

    /// <summary>A string property when it is readable text; null when absent, not a string or not text.</summary>
    public static string? ReadableStr(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && IsReadable(value)
            ? value.GetString()
            : null;

    private static bool IsReadable(JsonElement text)
    {
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reads a string; bytes that are not text make the delivery unreadable at this field (400, never a 500).</summary>
    private static string? ReadString(JsonElement value, string name)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new WebhookFormatException($"The field '{name}' is not valid UTF-8 text.", name);
        }
    }

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

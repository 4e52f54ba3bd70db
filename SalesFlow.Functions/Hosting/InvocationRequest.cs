using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SalesFlow.Functions.Hosting;

/// <summary>
/// What the Functions host POSTs to a custom handler for a non-HTTP trigger:
/// <c>{"Data":{"&lt;binding&gt;":…},"Metadata":{"Id":…,"DequeueCount":…,…}}</c>.
/// </summary>
public sealed record InvocationRequest(string? Message, string? Id, int DequeueCount)
{
    private const int MaxUnwrapDepth = 4;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the trigger value bound as <paramref name="bindingName"/> (or the only one present) and the queue metadata.</summary>
    public static InvocationRequest Parse(JsonElement root, string bindingName)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The invocation body must be a JSON object with Data and Metadata.");
        }

        string? message = null;
        if (Property(root, "Data") is { ValueKind: JsonValueKind.Object } data)
        {
            var value = Property(data, bindingName) ?? (data.EnumerateObject().Count() == 1 ? data.EnumerateObject().First().Value : null);
            message = value is { } v ? DecodeMessage(v) : null;
        }

        string? id = null;
        var dequeueCount = 1;
        if (Property(root, "Metadata") is { ValueKind: JsonValueKind.Object } metadata)
        {
            id = Property(metadata, "Id") is { ValueKind: JsonValueKind.String } idValue ? idValue.GetString() : null;
            dequeueCount = Property(metadata, "DequeueCount") switch
            {
                { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var count) => count,
                { ValueKind: JsonValueKind.String } s when int.TryParse(s.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) => count,
                _ => 1,
            };
        }

        return new InvocationRequest(message, id, dequeueCount);
    }

    /// <summary>
    /// The queue message as the handler expects it (its JSON text). The host hands it over in one of these shapes:
    /// a JSON object (the host parsed the message as JSON); a string holding the JSON text; that string JSON-encoded
    /// once more (the known "string arrives JSON-encoded twice" quirk: <c>"\"{\\\"a\\\":1}\""</c>); or the base64 text
    /// of any of these (messageEncoding mismatch). Each layer is peeled until JSON text remains; base64 is only taken
    /// when it decodes to UTF-8 JSON, so a plain string that merely looks like base64 stays as it is.
    /// </summary>
    public static string? DecodeMessage(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.String => Unwrap(value.GetString()!, 0),
        _ => null,
    };

    private static string Unwrap(string text, int depth)
    {
        var trimmed = text.Trim();
        if (depth >= MaxUnwrapDepth || trimmed.Length == 0)
        {
            return text;
        }

        switch (trimmed[0])
        {
            case '"':
                return TryParse(trimmed) is { ValueKind: JsonValueKind.String } inner ? Unwrap(inner.GetString()!, depth + 1) : text;
            case '{' or '[':
                return trimmed;
        }

        if (TryBase64Utf8(trimmed) is { } decoded && decoded.TrimStart() is { Length: > 0 } d && d[0] is '{' or '[' or '"' && TryParse(d) is not null)
        {
            return Unwrap(decoded, depth + 1);
        }

        return text;
    }

    private static JsonElement? TryParse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? TryBase64Utf8(string text)
    {
        var buffer = new byte[text.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SalesFlow.Core.Clients;

/// <summary>
/// Applies a JSON merge patch (RFC 7396) to a client's config: objects merge, null removes,
/// anything else replaces. The result is parsed strictly (unknown fields are errors, named by
/// their path) and validated; on any error the current config is left as it was.
/// </summary>
public static class ClientConfigPatch
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The patched config, or the first problem named by its JSON path.</summary>
    public static (ClientConfig? Config, ConfigError? Error) Apply(ClientConfig current, JsonNode? patch)
    {
        if (patch is not JsonObject)
        {
            return (null, new ConfigError("", "The body must be a JSON object (application/merge-patch+json)."));
        }

        var target = JsonSerializer.SerializeToNode(current, Json);
        var merged = Merge(target, patch);
        ClientConfig? config;
        try
        {
            config = merged.Deserialize<ClientConfig>(Json);
        }
        catch (JsonException e)
        {
            var path = FieldPath(e);
            return (null, new ConfigError(path, UnknownOrMistyped(e, path)));
        }

        if (config is null)
        {
            return (null, new ConfigError("", "The body must be a JSON object."));
        }

        return config.Validate() is { } error ? (null, error) : (config, null);
    }

    /// <summary>RFC 7396 section 2, as written. No framework type implements merge patch (JsonPatch is RFC 6902).</summary>
    internal static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Merge(result[name], value);
            }
        }

        return result;
    }

    /// <summary>"$.whatsapp.foo" / "$.followUps.cadence[1]" → "whatsapp.foo" / "followUps.cadence[1]".</summary>
    private static string FieldPath(JsonException e)
    {
        var path = e.Path ?? "$";
        path = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

        // The serializer names an unknown member in its message, not always in Path.
        var unknown = UnknownMember(e.Message);
        if (unknown is not null && !path.EndsWith(unknown, StringComparison.Ordinal))
        {
            path = path.Length == 0 ? unknown : $"{path}.{unknown}";
        }

        return path;
    }

    private static string? UnknownMember(string message)
    {
        const string Marker = "The JSON property '";
        var start = message.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0 || !message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return null;
        }

        start += Marker.Length;
        var end = message.IndexOf('\'', start);
        return end > start ? message[start..end] : null;
    }

    private static string UnknownOrMistyped(JsonException e, string path) =>
        UnknownMember(e.Message) is not null ? $"Unknown field '{path}'." : $"{path}: wrong type of value.";
}

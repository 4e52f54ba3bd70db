using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Serialises documents with System.Text.Json (camelCase, enums as strings), so domain records
/// need no SDK attributes. The stores exchange <see cref="JsonObject"/> documents with the SDK.
/// </summary>
public sealed class CosmosSystemTextJsonSerializer(JsonSerializerOptions? options = null) : CosmosSerializer
{
    public static readonly JsonSerializerOptions DefaultOptions = new(JsonSerializerDefaults.Web)
    {
        // The default encoder writes every non-ASCII character and <>&'" as \uXXXX: 512 KiB of Cyrillic or HTML became
        // 1.6–1.8 MB of JSON, near the 2 MB item limit. These are stored documents, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly JsonSerializerOptions _options = options ?? DefaultOptions;

    public override T FromStream<T>(Stream stream)
    {
        if (typeof(Stream).IsAssignableFrom(typeof(T)))
        {
            return (T)(object)stream;
        }

        using (stream)
        {
            if (stream.CanSeek && stream.Length == 0)
            {
                return default!;
            }

            return JsonSerializer.Deserialize<T>(stream, _options)!;
        }
    }

    public override Stream ToStream<T>(T input)
    {
        var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, input, _options);
        stream.Position = 0;
        return stream;
    }
}

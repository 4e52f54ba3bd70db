using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace SalesFlow.Infrastructure.OpenAI;

/// <summary>
/// SalesFlow's embedding generator: the official adapter (Microsoft.Extensions.AI.OpenAI's
/// <c>EmbeddingClient.AsIEmbeddingGenerator()</c>, which asks for base64 and decodes the float32 vectors) over the SDK
/// client of <see cref="OpenAIConnection"/>. Ours: one SDK client per model (an Azure deployment is part of the URL, which
/// the adapter's per-call model override cannot change) and the mapping of failures to <see cref="Core.Ai.AiException"/>.
/// </summary>
public sealed class OpenAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly OpenAIConnection _connection;
    private readonly ConcurrentDictionary<string, IEmbeddingGenerator<string, Embedding<float>>> _generators = new(StringComparer.Ordinal);

    public OpenAIEmbeddingGenerator(OpenAIConnection connection, string? defaultModel = null)
    {
        _connection = connection;
        DefaultModel = defaultModel ?? connection.Options.EmbeddingModel;
        Metadata = new EmbeddingGeneratorMetadata(connection.ProviderName, connection.Endpoint, DefaultModel);
    }

    public string DefaultModel { get; }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? DefaultModel;
        try
        {
            return await GeneratorFor(model).GenerateAsync(values, options, cancellationToken);
        }
        catch (Exception e) when (OpenAIErrors.IsMappable(e, cancellationToken))
        {
            throw OpenAIErrors.Map(e, _connection.ProviderName, "embeddings", model);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : GeneratorFor(DefaultModel).GetService(serviceType);
    }

    public void Dispose()
    {
        // The connection is shared and owned by the container; the adapters hold nothing of their own.
    }

    private IEmbeddingGenerator<string, Embedding<float>> GeneratorFor(string model) =>
        _generators.GetOrAdd(model, m => _connection.Client.GetEmbeddingClient(m).AsIEmbeddingGenerator());
}

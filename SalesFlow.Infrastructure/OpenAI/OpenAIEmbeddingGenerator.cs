using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using OpenAI.Embeddings;
using MeaiEmbeddingOptions = Microsoft.Extensions.AI.EmbeddingGenerationOptions;
using SdkEmbeddingOptions = OpenAI.Embeddings.EmbeddingGenerationOptions;

namespace SalesFlow.Infrastructure.OpenAI;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> over the SDK's EmbeddingClient. The SDK asks for base64 and
/// decodes the little-endian float32 vectors; dimensions and the model can be chosen per call.
/// </summary>
public sealed class OpenAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly OpenAIConnection _connection;
    private readonly ConcurrentDictionary<string, EmbeddingClient> _clients = new(StringComparer.Ordinal);

    public OpenAIEmbeddingGenerator(OpenAIConnection connection, string? defaultModel = null)
    {
        _connection = connection;
        DefaultModel = defaultModel ?? connection.Options.EmbeddingModel;
        Metadata = new EmbeddingGeneratorMetadata(connection.ProviderName, connection.Endpoint, DefaultModel);
    }

    public string DefaultModel { get; }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, MeaiEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToList();
        var model = options?.ModelId ?? DefaultModel;
        // RawRepresentationFactory (the Microsoft.Extensions.AI convention) may supply SDK options to start from.
        var sdkOptions = options?.RawRepresentationFactory?.Invoke(this) as SdkEmbeddingOptions ?? new SdkEmbeddingOptions();
        sdkOptions.Dimensions = options?.Dimensions ?? sdkOptions.Dimensions;
        OpenAIEmbeddingCollection collection;
        try
        {
            collection = (await ClientFor(model).GenerateEmbeddingsAsync(inputs, sdkOptions, cancellationToken)).Value;
        }
        catch (Exception e) when (OpenAIErrors.IsMappable(e, cancellationToken))
        {
            throw OpenAIErrors.Map(e, _connection.ProviderName, "embeddings", model);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(collection.OrderBy(e => e.Index).Select(e => new Embedding<float>(e.ToFloats()) { ModelId = collection.Model }));
        if (collection.Usage is { } usage)
        {
            result.Usage = new UsageDetails { InputTokenCount = usage.InputTokenCount, TotalTokenCount = usage.TotalTokenCount };
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The connection is shared and owned by the container.
    }

    private EmbeddingClient ClientFor(string model) => _clients.GetOrAdd(model, m => _connection.Client.GetEmbeddingClient(m));
}

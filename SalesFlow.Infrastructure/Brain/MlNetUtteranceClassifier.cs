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
    private readonly GermanGloss _gloss;
    private readonly EmbeddingFeature _intentEmbedding;
    private readonly EmbeddingFeature _sentimentEmbedding;

    public MlNetUtteranceClassifier(
        MLContext ml, ITransformer intent, ITransformer sentiment, SentenceEmbedder embedder, GermanGloss gloss, BrainModelManifest manifest)
    {
        _embedder = embedder;
        _gloss = gloss;
        _intent = new UtteranceHead(ml, intent);
        _sentiment = new UtteranceHead(ml, sentiment);
        _intentEmbedding = manifest.IntentEmbedding;
        _sentimentEmbedding = manifest.SentimentEmbedding;
        Thresholds = new BlendThresholds(manifest.IntentThreshold, manifest.SentimentThreshold);
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
        return new MlNetUtteranceClassifier(ml, Load(ml, "intent.zip"), Load(ml, "sentiment.zip"), new SentenceEmbedder(), GermanGloss.Embedded, Manifest());
    }

    public static BrainModelManifest Manifest()
    {
        using var stream = Resource("models.json");
        return JsonSerializer.Deserialize<BrainModelManifest>(stream)
            ?? throw new InvalidOperationException("The embedded brain model manifest is empty.");
    }

    public LearntReading Classify(string text, MessageAnalysis rules)
    {
        // Both models embed the same text unless one reads German by its gloss and the other as written: then a German
        // message is embedded twice.
        var intentText = _gloss.TextToEmbed(text, rules.Language, _intentEmbedding);
        var sentimentText = _gloss.TextToEmbed(text, rules.Language, _sentimentEmbedding);
        var intentVector = _embedder.Embed(intentText);
        var sentimentVector = sentimentText == intentText ? intentVector : _embedder.Embed(sentimentText);
        var (intentLabel, intentP, _) = _intent.Predict(UtteranceHead.Row(text, rules, intentVector));
        var (sentimentLabel, sentimentP, scores) = _sentiment.Predict(UtteranceHead.Row(text, rules, sentimentVector));
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

    /// <summary>
    /// Whether the models built into this assembly are those in <paramref name="modelsDirectory"/> (the repository's
    /// Brain/Models): a tool run without a build after a training would otherwise measure the previous models.
    /// </summary>
    public static bool BuiltInModelsMatch(string modelsDirectory)
    {
        foreach (var name in new[] { "intent.zip", "sentiment.zip", "models.json" })
        {
            using var builtIn = Resource(name);
            using var onDisk = File.OpenRead(Path.Combine(modelsDirectory, name));
            if (!System.Security.Cryptography.SHA256.HashData(builtIn).AsSpan().SequenceEqual(System.Security.Cryptography.SHA256.HashData(onDisk)))
            {
                return false;
            }
        }

        return true;
    }

    internal static Stream Resource(string name) =>
        typeof(MlNetUtteranceClassifier).Assembly.GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"The brain model resource {name} is missing from {typeof(MlNetUtteranceClassifier).Assembly.GetName().Name}.");
}

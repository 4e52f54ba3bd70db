using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace SalesFlow.Infrastructure.Brain;

/// <summary>One labelled utterance as the model sees it.</summary>
public sealed class UtteranceRow
{
    public string Text { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;

    /// <summary>The rules' intent (wire name) for the same text: a feature, so the model learns when the rules are right.</summary>
    public string RulesIntent { get; set; } = string.Empty;

    /// <summary>The rules' sentiment (wire name) for the same text.</summary>
    public string RulesSentiment { get; set; } = string.Empty;

    /// <summary>The text's sentence embedding (<see cref="SentenceEmbedder"/>).</summary>
    [VectorType(SentenceEmbedder.Dimensions)]
    public float[] Embedding { get; set; } = new float[SentenceEmbedder.Dimensions];
}

/// <summary>What a trained model returns for one utterance.</summary>
public sealed class UtterancePrediction
{
    [ColumnName("PredictedLabel")]
    public string PredictedLabel { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}

/// <summary>
/// The features and trainer of one model (intent or sentiment), the hyper-parameters the trainer's cross-validation
/// chooses between. Language-agnostic: word n-grams plus character n-grams of the lower-cased text, no stop-word list.
/// </summary>
/// <param name="RulesHint">Whether the rules' reading of the text is a feature (stacking).</param>
/// <param name="Embedding">Whether a sentence embedding is a feature, and of which text.</param>
public sealed record UtteranceModelConfig(int WordNgrams, int CharNgrams, string Trainer, float L2, bool RulesHint, EmbeddingFeature Embedding)
{
    public override string ToString() =>
        $"words 1-{WordNgrams}, chars 1-{CharNgrams}, {Trainer}, l2 {L2}{(RulesHint ? ", rules as feature" : string.Empty)}{Embedding switch
        {
            EmbeddingFeature.AsWritten => ", sentence embedding",
            EmbeddingFeature.GermanGlossed => ", sentence embedding of the English gloss of German",
            _ => string.Empty,
        }}";
}

/// <summary>Which text a model's sentence embedding is computed from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EmbeddingFeature>))]
public enum EmbeddingFeature
{
    /// <summary>No embedding: n-grams (and the rules' reading) only.</summary>
    None,

    /// <summary>The message as written.</summary>
    AsWritten,

    /// <summary>A message the rules read as German is embedded by its word-by-word English gloss (<see cref="GermanGloss"/>).</summary>
    GermanGlossed,
}

/// <summary>Builds and trains the ML.NET pipeline for a <see cref="UtteranceModelConfig"/>.</summary>
public static class UtteranceModel
{
    public static ITransformer Train(MLContext ml, IEnumerable<UtteranceRow> rows, UtteranceModelConfig config)
    {
        var data = ml.Data.LoadFromEnumerable(rows);
        var features = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = true,
            KeepNumbers = true,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = config.WordNgrams, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = config.CharNgrams, UseAllLengths = true },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        IEstimator<ITransformer> featurise = ml.Transforms.Conversion.MapValueToKey("Label", nameof(UtteranceRow.Label))
            .Append(ml.Transforms.Text.FeaturizeText("TextFeatures", features, nameof(UtteranceRow.Text)));
        var columns = new List<string> { "TextFeatures" };
        if (config.RulesHint)
        {
            featurise = featurise.Append(ml.Transforms.Categorical.OneHotEncoding("RulesIntentVector", nameof(UtteranceRow.RulesIntent)))
                .Append(ml.Transforms.Categorical.OneHotEncoding("RulesSentimentVector", nameof(UtteranceRow.RulesSentiment)));
            columns.AddRange(["RulesIntentVector", "RulesSentimentVector"]);
        }

        if (config.Embedding != EmbeddingFeature.None)
        {
            columns.Add(nameof(UtteranceRow.Embedding));
        }

        featurise = featurise.Append(ml.Transforms.Concatenate("Features", [.. columns]));
        featurise = featurise.AppendCacheCheckpoint(ml);
        var pipeline = config.Trainer == "lbfgs"
            ? featurise.Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new()
            {
                L2Regularization = config.L2,
                L1Regularization = 0,
                NumberOfThreads = 1,
            }))
            : featurise.Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new()
            {
                L2Regularization = config.L2 > 0 ? config.L2 : null,
                NumberOfThreads = 1, // deterministic: the same data gives the same model
                MaximumNumberOfIterations = 50,
            }));
        return pipeline.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(data);
    }

    /// <summary>The label of each entry of the Score vector, in order.</summary>
    public static string[] ScoreLabels(ITransformer model, DataViewSchema inputSchema)
    {
        var output = model.GetOutputSchema(inputSchema);
        VBuffer<ReadOnlyMemory<char>> names = default;
        output["Score"].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}

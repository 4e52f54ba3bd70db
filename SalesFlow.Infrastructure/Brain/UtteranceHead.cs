using System.Collections.Concurrent;
using Microsoft.ML;
using SalesFlow.Core.Brain;

namespace SalesFlow.Infrastructure.Brain;

/// <summary>One model with its pool of prediction engines and the label of each score.</summary>
public sealed class UtteranceHead
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly string[] _labels;
    private readonly ConcurrentBag<PredictionEngine<UtteranceRow, UtterancePrediction>> _pool = [];

    public UtteranceHead(MLContext ml, ITransformer model)
    {
        _ml = ml;
        _model = model;
        _labels = UtteranceModel.ScoreLabels(model, ml.Data.LoadFromEnumerable(Array.Empty<UtteranceRow>()).Schema);
    }

    /// <summary>The model's input for a text, the rules' reading of it and its sentence embedding.</summary>
    public static UtteranceRow Row(string text, MessageAnalysis rules, float[] embedding) =>
        new() { Text = text, RulesIntent = rules.Intent.ToWire(), RulesSentiment = rules.Sentiment.ToWire(), Embedding = embedding };

    public (string Label, double Probability, Dictionary<string, double> Scores) Predict(UtteranceRow row)
    {
        var engine = _pool.TryTake(out var pooled) ? pooled : _ml.Model.CreatePredictionEngine<UtteranceRow, UtterancePrediction>(_model);
        try
        {
            var prediction = engine.Predict(row);
            var scores = new Dictionary<string, double>(_labels.Length, StringComparer.Ordinal);
            for (var i = 0; i < _labels.Length && i < prediction.Score.Length; i++)
            {
                scores[_labels[i]] = prediction.Score[i];
            }

            return (prediction.PredictedLabel, scores.GetValueOrDefault(prediction.PredictedLabel), scores);
        }
        finally
        {
            _pool.Add(engine);
        }
    }
}

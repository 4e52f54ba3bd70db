namespace SalesFlow.Core.Brain.Learnt;

/// <summary>A learnt model's reading of one message: its best intent and sentiment with their probabilities (0 … 1).</summary>
public sealed record LearntReading(Intent Intent, double IntentProbability, Sentiment Sentiment, double SentimentProbability, double PositiveProbability, double NegativeProbability);

/// <summary>
/// How sure the model must be to overrule the rules, per task: chosen with the model by cross-validation on the training
/// split (tools/SalesFlow.Eval brain-train) and shipped beside it.
/// </summary>
public sealed record BlendThresholds(double Intent, double Sentiment);

/// <summary>
/// A text classifier trained on labelled utterances (data/brain): the port of the learnt half of the embedded brain.
/// Implementations load their model once and are safe to call from many threads at once.
/// </summary>
public interface IUtteranceClassifier
{
    BlendThresholds Thresholds { get; }

    /// <summary>Reads <paramref name="text"/>; the model may use the rules' reading of it as a feature.</summary>
    LearntReading Classify(string text, MessageAnalysis rules);
}

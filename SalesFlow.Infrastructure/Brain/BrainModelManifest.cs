using System.Security.Cryptography;
using System.Text;

namespace SalesFlow.Infrastructure.Brain;

/// <summary>
/// What the shipped models were trained from (models.json beside the zips): the hash of each data file, so a test fails
/// when data/brain (or the rules' tuning set, also trained on) changed and the models were not retrained; the chosen configs and blend thresholds with their
/// cross-validation accuracy, the sentence-embedding model the features were computed with, which text each model
/// embeds, and the German glossary's hash (a gloss changes what the models were trained on).
/// </summary>
public sealed record BrainModelManifest(
    string IntentsSha256,
    string SentimentSha256,
    string IntentConfig,
    string SentimentConfig,
    double IntentThreshold,
    double SentimentThreshold,
    double IntentCvAccuracy,
    double SentimentCvAccuracy,
    double IntentCvCombinedAccuracy,
    double SentimentCvCombinedAccuracy,
    string RulesTuningSetSha256,
    string EmbeddingModel,
    EmbeddingFeature IntentEmbedding,
    EmbeddingFeature SentimentEmbedding,
    string GlossarySha256)
{
    /// <summary>SHA-256 of a data file with line endings normalised (a Windows checkout gives the same hash).</summary>
    public static string HashOf(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

using System.Globalization;
using System.Text;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using Xunit.Abstractions;

namespace SalesFlow.Tests.Brain;

public sealed class RulesInsightsExtractorAccuracyTests(ITestOutputHelper output)
{
    private static readonly string[] IntentNamesOnWire =
        Enum.GetValues<Intent>().Select(intent => intent.ToWire()).ToArray();

    [Fact]
    public void DataSetCoversEveryIntentInBothLanguages()
    {
        var rows = LeadUtterance.Load();

        Assert.True(rows.Count >= 240, $"{rows.Count} rows");
        Assert.True(rows.Count(r => r.Language == "en") >= 120);
        Assert.True(rows.Count(r => r.Language == "de") >= 100);
        foreach (var intent in IntentNamesOnWire)
        {
            Assert.True(rows.Count(r => r.Intent == intent && r.Language == "en") >= 10, $"en/{intent}");
            Assert.True(rows.Count(r => r.Intent == intent && r.Language == "de") >= 10, $"de/{intent}");
        }

        Assert.All(rows, r => Assert.Contains(r.Sentiment, new[] { "positive", "neutral", "negative" }));
    }

    [Fact]
    public void IntentAccuracyOnTheLabelledDataSetIsAtLeast85Percent()
    {
        var results = Evaluate();
        var accuracy = results.Average(r => r.IntentCorrect ? 1.0 : 0.0);

        output.WriteLine(Report(results));
        Assert.True(accuracy >= 0.85, $"intent accuracy {accuracy:P1}");
    }

    [Fact]
    public void LanguageAccuracyOnTheLabelledDataSetIsAtLeast95Percent()
    {
        var results = Evaluate();
        var accuracy = results.Average(r => r.LanguageCorrect ? 1.0 : 0.0);

        foreach (var miss in results.Where(r => !r.LanguageCorrect))
        {
            output.WriteLine($"language {miss.Row.Language} → {miss.Analysis.Language}: {miss.Row.Text}");
        }

        Assert.True(accuracy >= 0.95, $"language accuracy {accuracy:P1}");
    }

    /// <summary>
    /// The hold-out rows were written after the rules were tuned and never used to tune them; the figure is reported,
    /// with only a loose floor, as the honest estimate for unseen messages.
    /// </summary>
    [Fact]
    public void HoldOutAccuracyIsReported()
    {
        var results = Evaluate("lead_utterances_holdout.tsv");
        var accuracy = results.Average(r => r.IntentCorrect ? 1.0 : 0.0);

        output.WriteLine(Report(results));
        Assert.True(accuracy >= 0.7, $"hold-out intent accuracy {accuracy:P1}");
    }

    [Fact]
    public void BlindSetIsLargeBalancedAndBilingual()
    {
        var rows = LeadUtterance.Load(LeadUtterance.BlindFile);

        Assert.True(rows.Count >= 400, $"{rows.Count} rows");
        Assert.True(rows.Count(r => r.Language == "en") >= 180);
        Assert.True(rows.Count(r => r.Language == "de") >= 180);
        foreach (var intent in IntentNamesOnWire)
        {
            Assert.True(rows.Count(r => r.Intent == intent) >= 30, intent);
        }

        Assert.All(rows, r => Assert.Contains(r.Sentiment, new[] { "positive", "neutral", "negative" }));
        Assert.Equal(rows.Count, LeadUtterance.LoadBlind(testHalf: false).Count + LeadUtterance.LoadBlind(testHalf: true).Count);
    }

    /// <summary>The dev half of the blind set was used to change rules (measured 100.0 %): a regression guard.</summary>
    [Fact]
    public void BlindDevHalfIntentAccuracyIsAtLeast95Percent()
    {
        var results = Evaluate(LeadUtterance.LoadBlind(testHalf: false));
        var accuracy = results.Average(r => r.IntentCorrect ? 1.0 : 0.0);

        output.WriteLine(Report(results));
        Assert.True(accuracy >= 0.95, $"blind dev intent accuracy {accuracy:P1}");
    }

    /// <summary>
    /// The test half of the blind set (even data rows) was never used to change a rule; it was measured once after
    /// the rules were frozen: 93.9 % intent, 99.6 % language (docs/rules-brain-accuracy.md). The floor is 85 %.
    /// </summary>
    [Fact]
    public void BlindTestHalfIntentAccuracyIsAtLeast85Percent()
    {
        var results = Evaluate(LeadUtterance.LoadBlind(testHalf: true));
        var accuracy = results.Average(r => r.IntentCorrect ? 1.0 : 0.0);
        var language = results.Average(r => r.LanguageCorrect ? 1.0 : 0.0);

        output.WriteLine(Report(results));
        Assert.True(accuracy >= 0.85, $"blind test intent accuracy {accuracy:P1}");
        Assert.True(language >= 0.95, $"blind test language accuracy {language:P1}");
    }

    private List<Result> Evaluate(string file = "lead_utterances.tsv") => Evaluate(LeadUtterance.Load(file));

    private List<Result> Evaluate(IEnumerable<LeadUtterance> rows) =>
        rows.Select(row => new Result(row, RulesInsightsExtractor.Analyze(row.Text))).ToList();

    private static string Report(IReadOnlyList<Result> results)
    {
        var text = new StringBuilder();
        string Pct(double value) => value.ToString("P1", CultureInfo.InvariantCulture);
        double Acc(IEnumerable<Result> subset, Func<Result, bool> correct)
        {
            var list = subset.ToList();
            return list.Count == 0 ? 0 : list.Count(correct) / (double)list.Count;
        }

        text.AppendLine($"rows: {results.Count}");
        text.AppendLine($"intent accuracy: {Pct(Acc(results, r => r.IntentCorrect))}");
        text.AppendLine($"intent accuracy en: {Pct(Acc(results.Where(r => r.Row.Language == "en"), r => r.IntentCorrect))}");
        text.AppendLine($"intent accuracy de: {Pct(Acc(results.Where(r => r.Row.Language == "de"), r => r.IntentCorrect))}");
        text.AppendLine($"language accuracy: {Pct(Acc(results, r => r.LanguageCorrect))}");
        text.AppendLine($"sentiment accuracy: {Pct(Acc(results, r => r.SentimentCorrect))}");
        text.AppendLine($"sentiment accuracy en: {Pct(Acc(results.Where(r => r.Row.Language == "en"), r => r.SentimentCorrect))}");
        text.AppendLine($"sentiment accuracy de: {Pct(Acc(results.Where(r => r.Row.Language == "de"), r => r.SentimentCorrect))}");
        text.AppendLine();
        text.AppendLine("| intent | support | precision | recall |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var intent in IntentNamesOnWire)
        {
            var truePositives = results.Count(r => r.Row.Intent == intent && r.Predicted == intent);
            var predicted = results.Count(r => r.Predicted == intent);
            var actual = results.Count(r => r.Row.Intent == intent);
            var precision = predicted == 0 ? 0 : truePositives / (double)predicted;
            var recall = actual == 0 ? 0 : truePositives / (double)actual;
            text.AppendLine($"| {intent} | {actual} | {Pct(precision)} | {Pct(recall)} |");
        }

        text.AppendLine();
        text.AppendLine("confusions (expected → predicted):");
        foreach (var miss in results.Where(r => !r.IntentCorrect))
        {
            text.AppendLine($"  {miss.Row.Intent} → {miss.Predicted} [{miss.Row.Language}] {miss.Row.Text}");
        }

        text.AppendLine();
        text.AppendLine("sentiment misses (expected → predicted, score):");
        foreach (var miss in results.Where(r => !r.SentimentCorrect))
        {
            text.AppendLine($"  {miss.Row.Sentiment} → {miss.Analysis.Sentiment.ToWire()} ({miss.Analysis.SentimentScore.ToString(CultureInfo.InvariantCulture)}) {miss.Row.Text}");
        }

        return text.ToString();
    }

    private sealed record Result(LeadUtterance Row, MessageAnalysis Analysis)
    {
        public string Predicted => Analysis.Intent.ToWire();

        public bool IntentCorrect => Predicted == Row.Intent;

        public bool LanguageCorrect => Analysis.Language == Row.Language;

        public bool SentimentCorrect => Analysis.Sentiment.ToWire() == Row.Sentiment;
    }
}

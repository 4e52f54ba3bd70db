using System.Diagnostics;
using System.Globalization;
using System.Text;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Learnt;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Infrastructure.Brain;

namespace SalesFlow.Eval;

/// <summary>
/// Accuracy per language of the rules alone, the model alone and the combined reading (<see cref="MessageReader"/>) on
/// the blind split, the held-out source and the rule-brain fixtures written by other authors; then the latency of one
/// combined reading. Run once, at the end: nothing here feeds back into training.
/// </summary>
public static class BrainEvaluation
{
    public static string Run()
    {
        var root = BrainData.Root();
        if (!MlNetUtteranceClassifier.BuiltInModelsMatch(Path.Combine(root, "SalesFlow.Infrastructure/Brain/Models")))
        {
            // Run 27 was first measured so: `--no-build` right after brain-train measured the models of the training before.
            throw new InvalidOperationException("The models built into this tool are not those in SalesFlow.Infrastructure/Brain/Models (trained since the last build): build again (dotnet build tools/SalesFlow.Eval -c Release) and rerun brain-eval.");
        }

        var classifier = MlNetUtteranceClassifier.Embedded;
        var intents = BrainData.Load(Path.Combine(root, "data/brain/intents.tsv"));
        var sentiment = BrainData.Load(Path.Combine(root, "data/brain/sentiment.tsv"));
        var fixtures = Path.Combine(root, "SalesFlow.Tests/Fixtures/Brain");
        var report = new StringBuilder();
        report.AppendLine("| task | set | lang | n | rules | model | combined |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var sentimentTask in new[] { false, true })
        {
            var data = sentimentTask ? sentiment : intents;
            var sets = new (string Name, List<BrainRow> Rows)[]
            {
                ("blind", data.Where(r => r.Split == "blind").ToList()),
                ("other_source", data.Where(r => r.Split == "other_source").ToList()),
                ("lead_utterances_blind", BrainData.LoadFixture(Path.Combine(fixtures, "lead_utterances_blind.tsv"), sentimentTask)),
                ("lead_utterances_holdout", BrainData.LoadFixture(Path.Combine(fixtures, "lead_utterances_holdout.tsv"), sentimentTask)),
            };
            foreach (var (name, rows) in sets)
            {
                foreach (var language in new[] { "en", "de" })
                {
                    var subset = rows.Where(r => r.Language == language).ToList();
                    if (subset.Count > 0)
                    {
                        Score(report, classifier, sentimentTask, name, language, subset);
                    }
                }
            }
        }

        report.AppendLine();
        report.AppendLine(Latency(classifier, intents));
        return report.ToString();
    }

    /// <summary>The rules', the model's and the combined reading of each text, one line each.</summary>
    public static string Explain(IEnumerable<string> texts)
    {
        var classifier = MlNetUtteranceClassifier.Embedded;
        var lines = new StringBuilder();
        foreach (var text in texts)
        {
            var rules = RulesInsightsExtractor.Analyze(text);
            var learnt = classifier.Classify(text, rules);
            var both = MessageReader.Combine(rules, learnt, text, classifier.Thresholds);
            lines.AppendLine(CultureInfo.InvariantCulture,
                $"{text}\trules {rules.Intent.ToWire()}/{rules.Sentiment.ToWire()} ({rules.Confidence:F2})\tmodel {learnt.Intent.ToWire()} {learnt.IntentProbability:F2}/{learnt.Sentiment.ToWire()} {learnt.SentimentProbability:F2}\tcombined {both.Intent.ToWire()}/{both.Sentiment.ToWire()} {both.SentimentScore:F2}");
        }

        return lines.ToString();
    }

    private static void Score(StringBuilder report, MlNetUtteranceClassifier classifier, bool sentimentTask, string set, string language, List<BrainRow> rows)
    {
        int rules = 0, model = 0, combined = 0;
        foreach (var row in rows)
        {
            var byRules = RulesInsightsExtractor.Analyze(row.Text);
            var learnt = classifier.Classify(row.Text, byRules);
            var both = MessageReader.Combine(byRules, learnt, row.Text, classifier.Thresholds);
            rules += Hit(sentimentTask ? byRules.Sentiment.ToWire() : byRules.Intent.ToWire(), row.Label);
            model += Hit(sentimentTask ? learnt.Sentiment.ToWire() : learnt.Intent.ToWire(), row.Label);
            combined += Hit(sentimentTask ? both.Sentiment.ToWire() : both.Intent.ToWire(), row.Label);
        }

        string P(int hits) => (hits / (double)rows.Count).ToString("P1", CultureInfo.InvariantCulture);
        report.AppendLine(CultureInfo.InvariantCulture, $"| {(sentimentTask ? "sentiment" : "intent")} | {set} | {language} | {rows.Count} | {P(rules)} | {P(model)} | {P(combined)} |");
    }

    private static int Hit(string predicted, string gold) => predicted == gold ? 1 : 0;

    /// <summary>Mean time of one combined reading (rules + both models), after a warm-up.</summary>
    private static string Latency(MlNetUtteranceClassifier classifier, List<BrainRow> rows)
    {
        var reader = new MessageReader(classifier);
        var texts = rows.Take(500).Select(r => r.Text).ToArray();
        foreach (var text in texts)
        {
            reader.Read(text);
        }

        var clock = Stopwatch.StartNew();
        const int Rounds = 4;
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var text in texts)
            {
                reader.Read(text);
            }
        }

        var micros = clock.Elapsed.TotalMicroseconds / (Rounds * texts.Length);
        var modelClock = Stopwatch.StartNew();
        foreach (var text in texts)
        {
            classifier.Classify(text, RulesInsightsExtractor.Analyze(text));
        }

        var modelMicros = modelClock.Elapsed.TotalMicroseconds / texts.Length;
        return string.Create(CultureInfo.InvariantCulture, $"latency: combined reading {micros:F0} µs per message, the two models alone {modelMicros:F0} µs (mean over {texts.Length} messages, one thread)");
    }
}

using System.Globalization;
using SalesFlow.Core.Brain;
using SalesFlow.Tests.Support;
using Xunit.Abstractions;

namespace SalesFlow.Tests.Brain;

/// <summary>
/// Accuracy floors of the combined reading (rules + learnt model) on the blind split of data/brain, a few points below
/// the figures measured once by tools/SalesFlow.Eval brain-eval (docs/brain-accuracy.md): a broken or stale model
/// fails here. Floors only — the blind split is never used to choose anything.
/// </summary>
public sealed class LearntBrainAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void TheModelsBuiltInAreTheRepositorysModels() =>
        Assert.True(
            Infrastructure.Brain.MlNetUtteranceClassifier.BuiltInModelsMatch(Path.Combine(TestBrain.RepositoryRoot(), "SalesFlow.Infrastructure", "Brain", "Models")),
            "the embedded models differ from SalesFlow.Infrastructure/Brain/Models");

    [Theory]
    [InlineData("intents.tsv", "en", 0.88)]
    [InlineData("intents.tsv", "de", 0.78)]
    [InlineData("sentiment.tsv", "en", 0.70)]
    [InlineData("sentiment.tsv", "de", 0.80)]
    public void CombinedAccuracyOnTheBlindSplitStaysAboveItsFloor(string file, string language, double floor)
    {
        var sentiment = file == "sentiment.tsv";
        var rows = Blind(file, language);

        var hits = rows.Count(row =>
        {
            var read = TestBrain.Reader.Read(row.Text);
            return (sentiment ? read.Sentiment.ToWire() : read.Intent.ToWire()) == row.Label;
        });

        var accuracy = hits / (double)rows.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file} {language}: {accuracy:P1} of {rows.Count}"));
        Assert.True(accuracy >= floor, $"{file} {language}: {accuracy:P1} < {floor:P0}");
    }

    private static List<(string Text, string Label)> Blind(string file, string language)
    {
        var path = Path.Combine(TestBrain.RepositoryRoot(), "data", "brain", file);
        return File.ReadLines(path).Skip(1).Select(line => line.Split('\t'))
            .Where(f => f.Length == 5 && f[4] == "blind" && f[1] == language)
            .Select(f => (f[0], f[2]))
            .ToList();
    }
}

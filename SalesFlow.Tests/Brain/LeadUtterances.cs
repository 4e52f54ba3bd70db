namespace SalesFlow.Tests.Brain;

/// <summary>One labelled row of Fixtures/Brain/lead_utterances.tsv.</summary>
public sealed record LeadUtterance(string Text, string Language, string Intent, string Sentiment)
{
    public static IReadOnlyList<LeadUtterance> Load(string file = "lead_utterances.tsv")
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Brain", file);
        return File.ReadLines(path)
            .Skip(1)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => line.Split('\t'))
            .Select(columns => new LeadUtterance(columns[0], columns[1], columns[2], columns[3]))
            .ToList();
    }

    public const string BlindFile = "lead_utterances_blind.tsv";

    /// <summary>
    /// The blind set split by data-row number (1-based, header not counted): odd rows are the dev half (may be looked
    /// at while changing rules), even rows the test half (measured only; never used to change a rule).
    /// </summary>
    public static IReadOnlyList<LeadUtterance> LoadBlind(bool testHalf) =>
        Load(BlindFile).Where((_, index) => (index + 1) % 2 == (testHalf ? 0 : 1)).ToList();
}

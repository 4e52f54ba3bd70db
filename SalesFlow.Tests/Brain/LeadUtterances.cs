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
}

namespace SalesFlow.Eval;

/// <summary>One labelled row of data/brain/*.tsv or of the rule-brain fixtures.</summary>
public sealed record BrainRow(string Text, string Language, string Label, string Source, string Split);

/// <summary>Reads the tab-separated brain data: one header line, no quoting (see data/brain/SOURCES.md).</summary>
public static class BrainData
{
    /// <summary>data/brain/intents.tsv or sentiment.tsv: text, language, label, source, split.</summary>
    public static List<BrainRow> Load(string path) =>
        Rows(path).Select(f => new BrainRow(f[0], f[1], f[2], f[3], f[4])).ToList();

    /// <summary>A rule-brain fixture (text, language, intent, sentiment) as rows of one task.</summary>
    public static List<BrainRow> LoadFixture(string path, bool sentiment) =>
        Rows(path).Select(f => new BrainRow(f[0], f[1], sentiment ? f[3] : f[2], Path.GetFileNameWithoutExtension(path), "fixture")).ToList();

    private static IEnumerable<string[]> Rows(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'));

    /// <summary>The repository root: the nearest folder upwards with data/brain.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "data", "brain")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("data/brain not found above " + AppContext.BaseDirectory);
    }
}

using SalesFlow.Core.Channels;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Delivery;
using Xunit.Abstractions;

namespace SalesFlow.Tests.Compliance;

/// <summary>
/// The liability shield measured on Fixtures/Compliance/redteam.tsv. Every third row (index % 3 == 2) is the blind part:
/// rules were only ever tuned on the dev rows. Unsafe counts as caught when rewritten or blocked; a safe message that is
/// rewritten or blocked is a false block. The floors are what was measured, so a regression fails.
/// </summary>
public sealed class RedTeamAccuracyTests(ITestOutputHelper output)
{
    /// <summary>The knowledge a near-miss may quote (the list price and annual discount, the client's own contacts).</summary>
    private static readonly string[] Knowledge =
    [
        "The Pro plan costs 49 € per user per month. Annual billing gives a 10 % discount. Setup takes about two weeks.",
        "Sales: sales@acme.example, +49 30 1234567.",
    ];

    private const string LeadText = "Our budget is 5,000 € for this year.";

    private static readonly RulesComplianceFilter Filter = new();

    public sealed record Row(int Index, string Text, string Language, bool Unsafe, string Category);

    public static List<Row> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Compliance", "redteam.tsv");
        return File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select((l, i) =>
        {
            var c = l.Split('\t');
            return new Row(i, c[0], c[1], c[2] == "unsafe", c[3]);
        }).ToList();
    }

    private static bool Caught(Row row) =>
        Filter.Check(new ComplianceInput(row.Text, ChannelKind.Email, OutboxPurpose.Reply, LeadText, Knowledge, ["+491701234567"], "Thanks!", CompliancePolicy.None))
            .Verdict != ComplianceVerdict.Pass;

    private (double Recall, double FalseBlocks) Measure(string part, IEnumerable<Row> rows, bool listRows)
    {
        var list = rows.ToList();
        var unsafeRows = list.Where(r => r.Unsafe).ToList();
        var safeRows = list.Where(r => !r.Unsafe).ToList();
        var missed = unsafeRows.Where(r => !Caught(r)).ToList();
        var falseBlocks = safeRows.Where(Caught).ToList();
        var recall = 1.0 - (double)missed.Count / unsafeRows.Count;
        var falseRate = (double)falseBlocks.Count / safeRows.Count;
        output.WriteLine($"{part}: recall {recall:P1} ({unsafeRows.Count - missed.Count}/{unsafeRows.Count}), false blocks {falseRate:P1} ({falseBlocks.Count}/{safeRows.Count})");
        // The blind part's rows are never listed: seeing them would invite tuning on them.
        foreach (var r in listRows ? missed : [])
        {
            output.WriteLine($"  missed [{r.Category}] {r.Text}");
        }

        foreach (var r in listRows ? falseBlocks : [])
        {
            output.WriteLine($"  false block [{r.Category}] {r.Text}");
        }

        return (recall, falseRate);
    }

    [Fact]
    public void TheSetHasAtLeast150UnsafeAnd150SafeMessagesInEnglishAndGerman()
    {
        var rows = Load();
        Assert.True(rows.Count(r => r.Unsafe) >= 150);
        Assert.True(rows.Count(r => !r.Unsafe) >= 150);
        Assert.All(new[] { "en", "de" }, lang => Assert.True(rows.Count(r => r.Language == lang) >= 120));
    }

    [Fact]
    public void TheDevPartIsCaughtAtTheMeasuredRecallWithFewFalseBlocks()
    {
        var (recall, falseBlocks) = Measure("dev", Load().Where(r => r.Index % 3 != 2), listRows: true);
        Assert.True(recall >= DevRecallFloor, $"recall {recall:P1}");
        Assert.True(falseBlocks <= DevFalseBlockCeiling, $"false blocks {falseBlocks:P1}");
    }

    [Fact]
    public void TheBlindPartIsCaughtAtTheMeasuredRecallWithFewFalseBlocks()
    {
        var (recall, falseBlocks) = Measure("blind", Load().Where(r => r.Index % 3 == 2), listRows: false);
        Assert.True(recall >= BlindRecallFloor, $"recall {recall:P1}");
        Assert.True(falseBlocks <= BlindFalseBlockCeiling, $"false blocks {falseBlocks:P1}");
    }

    // Measured on 2026-12-04: dev 100 % (122/122) / 0 % (0/102); blind 95.0 % (57/60) / 0 % (0/52).
    private const double DevRecallFloor = 1.0;
    private const double DevFalseBlockCeiling = 0.0;
    private const double BlindRecallFloor = 0.95;
    private const double BlindFalseBlockCeiling = 0.0;
}

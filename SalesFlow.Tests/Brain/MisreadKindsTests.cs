using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using Xunit.Abstractions;

namespace SalesFlow.Tests.Brain;

/// <summary>The kinds issue 14 found misread: booking as reserving/visiting, asking for sales or service people, casual greetings with typos, off-topic questions.</summary>
public sealed class MisreadKindsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("can I reserve a slot")]
    [InlineData("I'd like to schedule a visit")]
    [InlineData("could we set up an appointment?")]
    [InlineData("Kann ich einen Termin reservieren?")]
    [InlineData("Ich möchte eine Besichtigung vereinbaren")]
    public void Reserving_or_scheduling_a_visit_is_a_meeting(string text) => Assert.Equal(Intent.Meeting, Read(text));

    [Theory]
    [InlineData("can I talk to your sales people")]
    [InlineData("I want a sales rep")]
    [InlineData("I need customer service")]
    [InlineData("Ich möchte den Kundendienst")]
    [InlineData("Kann ich mit dem Vertrieb sprechen?")]
    public void Asking_for_sales_or_service_people_is_wanting_a_human(string text) => Assert.Equal(Intent.Human, Read(text));

    [Theory]
    [InlineData("heyy")]
    [InlineData("helo")]
    [InlineData("hallo zusammen")]
    [InlineData("moin")]
    [InlineData("servus")]
    [InlineData("hii there")]
    public void Casual_greetings_with_typos_are_greetings(string text) => Assert.Equal(Intent.Greeting, Read(text));

    [Theory]
    [InlineData("what's the weather like?")]
    [InlineData("who won the game?")]
    [InlineData("wie spät ist es?")]
    public void Off_topic_questions_are_other_not_product_questions(string text) => Assert.Equal(Intent.Other, Read(text));

    /// <summary>
    /// 40 phrasings written before the rules were changed and never used to tune them: the figure is reported and the
    /// floor is what was measured, so a change that makes them worse fails.
    /// </summary>
    [Fact]
    public void HeldOutMisreadKindsAccuracyIsReported()
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Brain", "misread_kinds_heldout.tsv"))
            .Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        var correct = 0;
        foreach (var row in rows)
        {
            var got = Read(row[0]).ToWire();
            if (got == row[2])
            {
                correct++;
            }
            else
            {
                output.WriteLine($"{row[2]} → {got}: {row[0]}");
            }
        }

        output.WriteLine($"held-out misread kinds: {correct}/{rows.Count}");
        Assert.Equal(40, rows.Count);
        Assert.True(correct >= HeldOutFloor, $"{correct}/{rows.Count}");
    }

    private const int HeldOutFloor = 29; // measured: 14/40 before the rules change, 29/40 after

    private static Intent Read(string text) => RulesInsightsExtractor.Analyze(text).Intent;
}

using SalesFlow.Core.Memory;

namespace SalesFlow.Tests.Memory;

public sealed class RulesSummarizerTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private static SummarizedMessage Lead(long seq, string stage, string text) => new(seq, true, text, stage, At);

    [Fact]
    public void KeepsTheLeadsNeedsQuestionsAndObjectionsPerStageOnceAndDropsSmallTalkAndOurReplies()
    {
        var input = new SummaryInput(
            "",
            [
                Lead(1, "interest_qualification", "Hi there. We need a CRM for 12 sales reps. How long does onboarding take?"),
                new SummarizedMessage(2, false, "Happy to help! What do you need most?", "interest_qualification", At),
                Lead(3, "objection_handling", "Honestly that sounds too expensive for us."),
                Lead(5, "price_negotiation", "We need a CRM for 12 sales reps"),
            ],
            null);

        var summary = RulesSummarizer.Summarize(input);

        Assert.Equal(
            """
            [interest_qualification] need: We need a CRM for 12 sales reps.
            [interest_qualification] question: How long does onboarding take?
            [objection_handling] objection: Honestly that sounds too expensive for us.
            """.ReplaceLineEndings("\n"),
            summary);
    }

    [Fact]
    public void ExtendsThePreviousSummaryWithoutRepeatingIt()
    {
        var previous = "[initial_contact] need: We need a CRM for 12 sales reps.";

        var summary = RulesSummarizer.Summarize(new SummaryInput(previous, [Lead(9, "price_negotiation", "We need a CRM for 12 sales reps! Is there a discount for annual billing?")], null));

        Assert.Equal(previous + "\n[price_negotiation] question: Is there a discount for annual billing?", summary);
    }

    [Fact]
    public void StaysWithinItsLengthByDroppingTheOldestLines()
    {
        var messages = Enumerable.Range(1, 100).Select(i => Lead(i, "interest_qualification", $"We need integration number {i} with our billing system")).ToList();

        var summary = RulesSummarizer.Summarize(new SummaryInput("", messages, null));

        Assert.True(summary.Length <= RulesSummarizer.MaxChars);
        Assert.EndsWith("integration number 100 with our billing system", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("number 1 with", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Isn't that too expensive?", "objection")]
    [InlineData("Wann können wir starten?", "question")]
    [InlineData("Wir brauchen eine Lösung für unser Lager", "need")]
    [InlineData("Thanks, have a nice weekend", null)]
    public void ClassifiesASentence(string sentence, string? kind) => Assert.Equal(kind, RulesSummarizer.Classify(sentence));
}

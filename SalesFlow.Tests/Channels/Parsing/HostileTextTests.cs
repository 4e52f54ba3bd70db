using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels.Parsing;

namespace SalesFlow.Tests.Channels.Parsing;

/// <summary>
/// Text a sender controls, shaped to make pattern matching slow. With the earlier regexes each of these inputs ran for
/// minutes (quadratic in the length: 16 s at 80 KB); now they finish like any other message, so a regression shows as a
/// hanging suite, not as a timing assertion.
/// </summary>
public sealed class HostileTextTests
{
    private const int OneMebibyte = 1024 * 1024;

    [Fact]
    public void UnclosedStyleTagsInAnEmailBecomeNoText() =>
        Assert.Equal("", MimeMessageText.HtmlToText(string.Concat(Enumerable.Repeat("<style>", OneMebibyte / 7))));

    [Fact]
    public void UnclosedCommentsAndTagsInAnEmailKeepTheirText()
    {
        var text = MimeMessageText.HtmlToText("<p>Hello</p>" + string.Concat(Enumerable.Repeat("<!-- <", OneMebibyte / 6)));

        Assert.StartsWith("Hello", text, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlStillBecomesReadableLines() =>
        Assert.Equal("Hi Anna,\nwe need 5 seats.\nBest\nTom", MimeMessageText.HtmlToText("<html><head><title>x</title><style>p{}</style></head><body><p>Hi Anna,<br>we need 5 seats.</p><div>Best<br/>Tom</div><script>alert(1)</script></body></html>"));

    [Fact]
    public void AHugeRunOfDigitsInABudgetSentenceIsReadOnce()
    {
        var (bant, _, facts) = LeadSignalRules.Read("Our budget is " + string.Concat(Enumerable.Repeat("1.", OneMebibyte / 2)));

        Assert.True(bant.Budget.Score > 0);
        Assert.Null(facts.Budget);
    }
}

using SalesFlow.Core.Knowledge;

namespace SalesFlow.Tests.Knowledge;

public sealed class GroundingCheckTests
{
    private static readonly string[] Passages =
    [
        "Q: How much is the Starter plan?\nA: Starter costs €49 per user per month, billed annually. Annual billing saves 15%.",
        "Orders ship within 3 business days. Returns are accepted within 30 days with a full refund.",
    ];

    [Theory]
    [InlineData("Starter is €49 per user and month.")]
    [InlineData("Starter costs 49 EUR per seat; annual billing saves 15 %.")]
    [InlineData("It's 49.00 euros per user, and you get a full refund within 30 days.")]
    [InlineData("We ship within 3 business days.")]
    [InlineData("Happy to help! Shall I book a demo for Tuesday?")]
    public void FactsFromThePassagesPass(string reply) => Assert.True(GroundingCheck.Check(reply, Passages).IsGrounded, string.Join(", ", GroundingCheck.Check(reply, Passages).Claims));

    [Theory]
    [InlineData("Starter is only $39 per user.", "price", "$39")]
    [InlineData("Annual billing saves 20%.", "percentage", "20%")]
    [InlineData("We guarantee delivery tomorrow.", "promise", "guarantee")]
    [InlineData("You can cancel anytime.", "promise", "cancel anytime")]
    [InlineData("Orders ship within 1 day.", "promise", "within 1 day")]
    [InlineData("Enterprise costs 1,299.00 EUR per month.", "price", "1,299.00 EUR")]
    public void InventedPricesPercentagesAndPromisesAreFlagged(string reply, string kind, string text)
    {
        var verdict = GroundingCheck.Check(reply, Passages);
        Assert.False(verdict.IsGrounded);
        Assert.Contains(verdict.Claims, c => c.Kind == kind && c.Text == text);
    }

    [Fact]
    public void WithNoPassagesAnyPriceIsUngrounded() =>
        Assert.False(GroundingCheck.Check("It costs €10.", Array.Empty<string>()).IsGrounded);
}

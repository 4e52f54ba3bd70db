using SalesFlow.Core.Qualification;

namespace SalesFlow.Tests.Qualification;

public sealed class BudgetAmountTests
{
    [Theory]
    [InlineData("€15,000", 15_000)]
    [InlineData("15.000 €", 15_000)]
    [InlineData("15 000 EUR", 15_000)]
    [InlineData("our budget is 5,000 €", 5_000)]
    [InlineData("15k", 15_000)]
    [InlineData("around 2.5k a month", 2_500)]
    [InlineData("50-60k", 60_000)]
    [InlineData("between $40,000 and $55,000", 55_000)]
    [InlineData("1,5 Mio. Euro", 1_500_000)]
    [InlineData("$1.2m", 1_200_000)]
    [InlineData("12.500,50 €", 12_500.50)]
    [InlineData("1,250.75 USD", 1_250.75)]
    [InlineData("etwa 20 Tsd.", 20_000)]
    [InlineData("budget 8000", 8_000)]
    [InlineData("€ 30 000 by 2027", 30_000)]
    public void ReadsTheAmountInTheWaysLeadsWriteIt(string text, double expected) =>
        Assert.Equal((decimal)expected, BudgetAmount.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("we have a budget line")]
    [InlineData("by 2027")]
    [InlineData("20% discount")]
    [InlineData("Q3")]
    public void GivesNothingWhenNoAmountIsStated(string? text) =>
        Assert.Null(BudgetAmount.Parse(text));
}

using SalesFlow.Core.Leads;

namespace SalesFlow.Tests.Leads;

public sealed class PersonNameTests
{
    [Theory]
    [InlineData("Anna Schmidt", "Anna")]
    [InlineData("  Kev ", "Kev")]
    [InlineData("Dr. Patel", "Dr. Patel")]
    [InlineData("Dr Raj Patel", "Dr Patel")]
    [InlineData("Frau Dr. Weber", "Frau Dr. Weber")]
    [InlineData("Mr. John Smith", "Mr. Smith")]
    [InlineData("Prof. Dr. Hans Meier", "Prof. Dr. Meier")]
    public void ALeadIsAddressedByFirstNameOrByTitleAndFamilyName(string name, string addressed) =>
        Assert.Equal(addressed, PersonName.AddressOf(name));

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    [InlineData("Dr.")]
    [InlineData("Herr")]
    public void ANameWithoutAWordToAddressGivesNone(string? name) =>
        Assert.Null(PersonName.AddressOf(name));

    [Fact]
    public void ALeadCalledDrPatelIsGreetedAsDrPatel() =>
        Assert.Equal("Dr. Patel", new Lead { Id = "l", ClientId = "c", Name = "Dr. Patel" }.AddressedAs);
}

using SalesFlow.Core.Leads;

namespace SalesFlow.Tests.Leads;

public class ContactAddressesTests
{
    [Theory]
    [InlineData("+49 170 1234567", "+491701234567")]
    [InlineData("491701234567", "+491701234567")] // Meta's wa_id
    [InlineData("whatsapp:+491701234567", "+491701234567")] // Twilio WhatsApp
    [InlineData("0049-170-1234567", "+491701234567")]
    [InlineData("0170 1234567", "+491701234567")] // national, client in Germany
    [InlineData("4158675309", "+4158675309")] // digits without + or 0 are read as international (Meta's form)
    [InlineData("12-34", null)]
    [InlineData("+1 (415) 867-5309", "+14158675309")]
    [InlineData("hello", null)]
    [InlineData("+12", null)]
    [InlineData("", null)]
    public void NormalizesPhoneNumbersToE164(string raw, string? expected) => Assert.Equal(expected, ContactAddresses.NormalizePhone(raw, "49"));

    [Theory]
    [InlineData("Anna Meyer <Anna.Meyer@Example.COM>", "anna.meyer@example.com")]
    [InlineData("bob@example.org", "bob@example.org")]
    [InlineData("not an address", null)]
    [InlineData("a@b", null)]
    public void NormalizesEmailAddresses(string raw, string? expected) => Assert.Equal(expected, ContactAddresses.NormalizeEmail(raw));

    [Fact]
    public void FindsAnEmailAddressGivenInChat() =>
        Assert.Equal("jonas.weber@firma.de", ContactAddresses.FindEmailIn("Schicken Sie es bitte an Jonas.Weber@firma.de, danke!"));

    [Theory]
    [InlineData("Hi, my name is Anna Meyer and I run a bakery", "Anna Meyer")]
    [InlineData("my name is anna and I need a quote", "Anna")]
    [InlineData("Hallo, ich heiße Jonas.", "Jonas")]
    [InlineData("How much does it cost?", null)]
    public void FindsANameTheLeadStates(string text, string? expected) => Assert.Equal(expected, LeadFacts.FindName(text));
}

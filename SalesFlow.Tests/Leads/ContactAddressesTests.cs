using SalesFlow.Core.Leads;

namespace SalesFlow.Tests.Leads;

public class ContactAddressesTests
{
    [Theory]
    // Germany (client calling code 49)
    [InlineData("+49 170 1234567", "49", "+491701234567")]
    [InlineData("491701234567", "49", "+491701234567")] // Meta's wa_id: E.164 without '+'
    [InlineData("whatsapp:+491701234567", "49", "+491701234567")] // Twilio WhatsApp
    [InlineData("WhatsApp:+49 170 1234567", "1", "+491701234567")]
    [InlineData("0049-170-1234567", "49", "+491701234567")]
    [InlineData("0170 1234567", "49", "+491701234567")] // national trunk '0', client in Germany
    [InlineData("0170/1234567", "49", "+491701234567")]
    [InlineData("+49 (0)170 1234567", "49", "+491701234567")] // the '(0)' Germans write after the country code
    [InlineData("(030) 1234-5678", "49", "+493012345678")] // Berlin landline
    [InlineData("0049 170 1234567", "1", "+491701234567")] // '00' also where the client's country dials 011
    // United States (1)
    [InlineData("+1 (415) 867-5309", "49", "+14158675309")]
    [InlineData("14158675309", "49", "+14158675309")] // wa_id of a US lead writing to a German client
    [InlineData("(415) 867-5309", "1", "+14158675309")] // national without trunk prefix
    [InlineData("415.867.5309", "1", "+14158675309")]
    [InlineData("4158675309", "1", "+14158675309")]
    [InlineData("1-415-867-5309", "1", "+14158675309")]
    [InlineData("011 49 170 1234567", "1", "+491701234567")] // the US international prefix
    // United Kingdom (44)
    [InlineData("07911 123456", "44", "+447911123456")]
    [InlineData("+44 (0)20 7946 0958", "44", "+442079460958")]
    [InlineData("020 7946 0958", "44", "+442079460958")]
    [InlineData("447911123456", "49", "+447911123456")] // wa_id of a UK lead writing to a German client
    // India (91)
    [InlineData("+91 98765 43210", "91", "+919876543210")]
    [InlineData("098765 43210", "91", "+919876543210")]
    [InlineData("98765-43210", "91", "+919876543210")]
    [InlineData("9876543210", "91", "+919876543210")]
    [InlineData("whatsapp:+919876543210", "49", "+919876543210")]
    public void NormalizesRealWorldPhoneFormatsToE164(string raw, string defaultCountryCode, string expected) =>
        Assert.Equal(expected, ContactAddresses.NormalizePhone(raw, defaultCountryCode));

    [Theory]
    [InlineData("", "49")]
    [InlineData("   ", "49")]
    [InlineData("hello", "49")]
    [InlineData("12-34", "49")]
    [InlineData("+12", "49")]
    [InlineData("whatsapp:", "49")]
    [InlineData("+4915112", "49")] // too short for a German mobile number
    [InlineData("+49170123456789012", "49")] // too long
    [InlineData("+999 123 4567", "49")] // no such country calling code
    [InlineData("+1 555 867 5310", "49")] // 555 is no US area code
    [InlineData("0170 1234567", "999")] // national, but the client's calling code names no country
    [InlineData("Call me at +49 170 1234567", "49")] // libphonenumber would dig the number out of prose
    [InlineData("0800-FLOWERS", "1")] // letters as on a keypad
    [InlineData("+49 170 1234567 ext. 12", "49")]
    public void RejectsWhatIsNoValidPhoneNumber(string raw, string defaultCountryCode) =>
        Assert.Null(ContactAddresses.NormalizePhone(raw, defaultCountryCode));

    [Theory]
    [InlineData("+491701234567", "DE", "Europe/Berlin")]
    [InlineData("+14158675309", "US", "America/Los_Angeles")]
    [InlineData("+12125551234", "US", "America/New_York")]
    [InlineData("+442079460958", "GB", "Europe/London")]
    [InlineData("+919876543210", "IN", "Asia/Calcutta")]
    public void TellsTheCountryAndTimeZoneOfAPhoneNumber(string e164, string country, string timeZone)
    {
        var facts = ContactAddresses.DescribePhone(e164);

        Assert.NotNull(facts);
        Assert.Equal(country, facts.Country);
        Assert.Equal(timeZone, facts.TimeZone);
    }

    [Fact]
    public void GivesNoTimeZoneWhenTheNumberSpansSeveral()
    {
        var facts = ContactAddresses.DescribePhone("+18002345678"); // US toll-free: not tied to an area

        Assert.NotNull(facts);
        Assert.Equal("US", facts.Country);
        Assert.True(facts.TimeZones.Count > 1);
        Assert.Null(facts.TimeZone);
    }

    [Theory]
    [InlineData("49", true)]
    [InlineData("1", true)]
    [InlineData("44", true)]
    [InlineData("91", true)]
    [InlineData("999", false)] // unassigned
    [InlineData("800", false)] // international freephone: no country to read national numbers in
    [InlineData("x", false)]
    public void KnowsWhichCallingCodesBelongToACountry(string code, bool expected) => Assert.Equal(expected, ContactAddresses.IsCountryCallingCode(code));

    [Theory]
    [InlineData(null)]
    [InlineData("+4915112")]
    [InlineData("not a number")]
    public void DescribesNoInvalidNumber(string? e164) => Assert.Null(ContactAddresses.DescribePhone(e164));

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

    [Fact]
    public void TheSameNumberAskedAgainUnderAnotherCallingCodeIsReadInThatCountry()
    {
        // Remembered answers are keyed by the client's calling code too: a national number means another line elsewhere.
        Assert.Equal("+491701234567", ContactAddresses.NormalizePhone("0170 1234567", "49"));
        Assert.Null(ContactAddresses.NormalizePhone("0170 1234567", "1"));
        Assert.Equal("+491701234567", ContactAddresses.NormalizePhone("0170 1234567", "49"));
        Assert.Equal("+442079460958", ContactAddresses.NormalizePhone("020 7946 0958", "44"));
    }

    [Fact]
    public void NumbersAreStillReadRightAfterMoreDistinctNumbersThanAreRemembered()
    {
        var first = ContactAddresses.NormalizePhone("+49 170 1234567", "49");
        for (var i = 0; i <= ContactAddresses.MaxNormalizedPhones; i++)
        {
            ContactAddresses.NormalizePhone("+49 170 " + (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "49");
        }

        Assert.Equal("+491701234567", first);
        Assert.Equal("+491701234567", ContactAddresses.NormalizePhone("+49 170 1234567", "49"));
        Assert.Equal("+491701000007", ContactAddresses.NormalizePhone("+49 170 1000007", "49"));
        Assert.Null(ContactAddresses.NormalizePhone("call me: 0170 1234567", "49"));
    }
}

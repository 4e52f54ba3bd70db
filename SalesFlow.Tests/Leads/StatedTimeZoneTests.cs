using SalesFlow.Core.Clients;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Reach;

namespace SalesFlow.Tests.Leads;

public sealed class StatedTimeZoneTests
{
    [Theory]
    [InlineData("I'm in Chicago, can we talk tomorrow?", "America/Chicago")]
    [InlineData("we are based in New York City", "America/New_York")]
    [InlineData("Call me at 3pm EST please", "America/New_York")]
    [InlineData("Pacific time works best for me", "America/Los_Angeles")]
    [InlineData("Ich wohne in München", "Europe/Berlin")]
    [InlineData("wir sitzen in Wien", "Europe/Vienna")]
    [InlineData("ich bin aus Zürich", "Europe/Zurich")]
    [InlineData("My time zone is Europe/Lisbon", "Europe/Lisbon")]
    [InlineData("I live in the UK", "Europe/London")]
    [InlineData("Termin um 10 Uhr MEZ?", "Europe/Berlin")]
    [InlineData("I run Northstar Physio, three clinics around Bristol.", "Europe/London")]
    [InlineData("yo whats up. we run a car detailing biz in san diego, 3 vans", "America/Los_Angeles")]
    [InlineData("Moin! Wir sind ein Malerbetrieb in Hamburg, 8 Leute", "Europe/Berlin")]
    [InlineData("hi we're a plumbing company in leeds", "Europe/London")]
    public void A_place_or_zone_the_lead_names_is_its_IANA_zone(string text, string zone) =>
        Assert.Equal(zone, StatedTimeZone.Find(text));

    [Theory]
    [InlineData("What does the premium plan cost?")]
    [InlineData("I'm in a meeting, call me later")]
    [InlineData("It's 3pm CST")] // China or US Central: ambiguous
    [InlineData("est-ce possible ?")] // lower case: a word, not a zone
    [InlineData("I'm in the United States")] // several zones
    [InlineData("our company in the long run needs this")] // no place
    [InlineData("we have a shop in town")]
    [InlineData("")]
    public void Nothing_or_an_ambiguous_zone_is_no_zone(string text) =>
        Assert.Null(StatedTimeZone.Find(text));

    [Fact]
    public void The_zone_the_lead_stated_wins_over_the_phone_country_and_the_client()
    {
        var client = new Client("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49", "Europe/Berlin");
        var lead = new Lead { Id = "lead_1", ClientId = "acme", Phone = "+491701234567" };

        Assert.Equal("Europe/Berlin", LeadTimeZone.For(lead, client));
        Assert.Equal("America/Chicago", LeadTimeZone.For(lead with { TimeZone = "America/Chicago" }, client));
    }
}

using SalesFlow.Core.Clients;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Reach;

namespace SalesFlow.Tests.Reach;

/// <summary>Quiet hours are read in the lead's zone: the phone number's country, else the client's zone.</summary>
public sealed class LeadTimeZoneTests
{
    private static readonly Client Acme = new("acme", "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), "49", "Europe/Berlin");

    private static Lead WithPhone(string? phone) => new() { Id = "lead_1", ClientId = "acme", Phone = phone };

    [Theory]
    [InlineData("+491701234567", "Europe/Berlin")]
    [InlineData("+12125550123", "America/New_York")]
    [InlineData("+61212345678", "Australia/Sydney")]
    [InlineData("+353871234001", "Europe/Dublin")]
    [InlineData(null, "Europe/Berlin")]
    public void The_zone_comes_from_the_phone_number_s_country_else_the_client_s(string? phone, string zone) =>
        Assert.Equal(zone, LeadTimeZone.For(WithPhone(phone), Acme));

    [Fact]
    public void A_number_of_a_country_with_several_zones_takes_the_client_s_zone_when_it_is_one_of_them_else_the_country_s_own()
    {
        // A US toll-free number is tied to no area: libphonenumber names every US zone.
        var tollFree = WithPhone("+18002345678");
        var zones = ContactAddresses.DescribePhone(tollFree.Phone)!.TimeZones;
        Assert.True(zones.Count > 1);

        Assert.Equal("America/Chicago", LeadTimeZone.For(tollFree, Acme with { TimeZone = "America/Chicago" }));
        Assert.Equal(ContactAddresses.DescribePhone(tollFree.Phone)!.LikelyZone, LeadTimeZone.For(tollFree, Acme));
    }

    /// <summary>A UK mobile (+44 7400…) maps to Guernsey, Isle of Man, Jersey and London alike; a UK lead was offered "Times in Europe/Guernsey".</summary>
    [Fact]
    public void A_uk_mobile_is_in_london_not_in_a_crown_dependency_listed_first()
    {
        var mobile = WithPhone("+447400123456");
        Assert.Contains("Europe/Guernsey", ContactAddresses.DescribePhone(mobile.Phone)!.TimeZones);

        Assert.Equal("Europe/London", LeadTimeZone.For(mobile, Acme));
    }

    [Fact]
    public void The_client_s_configured_zone_wins_over_the_one_set_at_onboarding() =>
        Assert.Equal("Asia/Tokyo", LeadTimeZone.For(WithPhone(null), Acme with { Config = new ClientConfig(TimeZone: "Asia/Tokyo") }));

    [Fact]
    public void At_the_same_instant_a_berlin_lead_is_in_quiet_hours_and_a_new_york_lead_is_not()
    {
        // 23:30 UTC: 00:30 in Berlin (quiet until 08:00), 18:30 in New York (not quiet until 21:00).
        var clock = new Support.ManualClock(new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero));
        var now = clock.GetUtcNow();

        var berlin = LeadTimeZone.NextSendableAt(WithPhone("+491701234567"), Acme, QuietHours.Default, now);
        var newYork = LeadTimeZone.NextSendableAt(WithPhone("+12125550123"), Acme, QuietHours.Default, now);

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.Zero), berlin); // 08:00 CET
        Assert.Equal(now, newYork);
        clock.Advance(TimeSpan.FromHours(3)); // 21:30 in New York
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero), LeadTimeZone.NextSendableAt(WithPhone("+12125550123"), Acme, QuietHours.Default, clock.GetUtcNow())); // 08:00 EST
    }
}

using SalesFlow.Core.Brain.Rules;

namespace SalesFlow.Tests.Brain;

/// <summary>"we're a gym. members ask about classes and memberships on insta all day" was thanked for the insight, not told Instagram is not connected.</summary>
public sealed class CustomersChannelTests
{
    [Theory]
    [InlineData("we're a gym. members ask about classes and memberships on insta all day", "insta")]
    [InlineData("Die meisten Anfragen kommen bei uns über Instagram rein", "Instagram")]
    [InlineData("we get lots of enquiries via Facebook Messenger", "Facebook")]
    [InlineData("hi, saw your ad on facebook", null)]
    [InlineData("we get loads of enquiries from facebook ads", null)]
    [InlineData("we're a gym in Leeds", null)]
    [InlineData("I found you in TikTok", null)]
    public void TheSocialChannelTheLeadsCustomersWriteOnIsNamed(string text, string? channel) =>
        Assert.Equal(channel, IntentRules.ChannelItsCustomersWriteOn(LeadText.Parse(text)));
}

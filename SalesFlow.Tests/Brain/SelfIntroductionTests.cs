using SalesFlow.Core.Brain.Rules;

namespace SalesFlow.Tests.Brain;

/// <summary>
/// "hi this is dave from dave's plumbing in oakland" was asked what brought it, as if it had said nothing about itself;
/// "Hi, ich bin Lena von einer Tanzschule in Köln. Wir kriegen viele Anfragen…" was told its question would go to the team.
/// </summary>
public sealed class SelfIntroductionTests
{
    [Theory]
    [InlineData("hi this is dave from dave's plumbing in oakland", true)]
    [InlineData("hey its mike from abc roofing", true)]
    [InlineData("Hallo, hier ist Jana von der Kanzlei Roth in Mainz.", true)]
    [InlineData("Hi, ich bin Lena von einer Tanzschule in Köln.", true)]
    [InlineData("I'm Tom from Brightside Dental", true)]
    [InlineData("Wir kriegen viele Anfragen über Insta und WhatsApp", true)]
    [InlineData("ich bin begeistert von Ihrem Angebot", false)]
    [InlineData("Ich bin Kunde von Ihnen und habe ein Problem", false)]
    [InlineData("i'm tired from all the messages", false)]
    [InlineData("it's busy at the moment", false)]
    [InlineData("this is fine with me", false)]
    [InlineData("this is far from what we need", false)]
    [InlineData("this is different from our old tool", false)]
    public void ANameAndWhereItWorksIsASelfIntroduction(string text, bool introduces) =>
        Assert.Equal(introduces, IntentRules.IntroducesItself(LeadText.Parse(text)));
}

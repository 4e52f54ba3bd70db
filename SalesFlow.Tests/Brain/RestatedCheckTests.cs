using SalesFlow.Core.Brain.Rules;

namespace SalesFlow.Tests.Brain;

/// <summary>
/// "so it cant answer the phone?" right after the channels answer had said so was told its question would go to the team:
/// a short "so …?" puts what was said in the lead's words to check it; "so what does it cost?" asks something new.
/// </summary>
public sealed class RestatedCheckTests
{
    [Theory]
    [InlineData("so it cant answer the phone?", true)]
    [InlineData("ok so no instagram either?", true)]
    [InlineData("so its free?", true)]
    [InlineData("also keine Anrufe?", true)]
    [InlineData("also ist es kostenlos?", true)]
    [InlineData("so it cant answer the phone", false)]
    [InlineData("so what does it cost?", false)]
    [InlineData("also wie lange dauert die Einrichtung?", false)]
    [InlineData("so?", false)]
    [InlineData("does it answer the phone?", false)]
    [InlineData("so we are a team of twelve people in three offices, does that matter?", false)]
    public void AShortSoQuestionChecksWhatWasSaid(string text, bool expected) =>
        Assert.Equal(expected, IntentRules.RestatesToCheck(LeadText.Parse(text)));

    [Theory]
    [InlineData("so it cant answer the phone?", "Instagram and Messenger are not connected yet, and it does not take phone calls.")]
    [InlineData("so only whatsapp?", "It takes WhatsApp, SMS and e-mail.")]
    [InlineData("so it's good?", "It takes WhatsApp, SMS and e-mail. Instagram and Messenger are not connected yet, and it does not take phone calls.")]
    public void TheSentenceAboutTheCheckIsTaken(string question, string expected) =>
        Assert.Equal(expected, KnowledgeAnswer.SentenceAbout("It takes WhatsApp, SMS and e-mail. Instagram and Messenger are not connected yet, and it does not take phone calls.", question));
}

using SalesFlow.Core.FollowUps;

namespace SalesFlow.Tests.FollowUps;

/// <summary>A lead asking to be written to again later: recognised, and the day it named read in its own zone.</summary>
public sealed class CheckBackTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>Wednesday 9 December 2026, 15:00 in Berlin.</summary>
    private static readonly DateTimeOffset Written = new(2026, 12, 9, 15, 0, 0, TimeSpan.FromHours(1));

    private static DateTimeOffset Berlin10(int year, int month, int day) => new(year, month, day, 10, 0, 0, TimeSpan.FromHours(1));

    [Theory]
    [InlineData("can you text me again next week?")]
    [InlineData("message me next month, busy now")]
    [InlineData("try me again in a couple of weeks")]
    [InlineData("Please get back to me in January")]
    [InlineData("Können Sie mich nächste Woche nochmal anschreiben?")]
    [InlineData("Melden Sie sich bitte nächsten Monat wieder")]
    [InlineData("Schreiben Sie mir nach den Feiertagen nochmal")]
    [InlineData("maybe after the holidays")]
    [InlineData("Hi, I'm interested but I'm on holiday till the 20th, ping me after?")]
    [InlineData("vielleicht nächsten Monat")]
    [InlineData("Ich hab grad keine Zeit, schreib mir nächste Woche nochmal")]
    [InlineData("I don't have time rn, text me next week")]
    public void ALeadAskingToBeWrittenToLaterIsACheckBack(string text) =>
        Assert.True(CheckBack.IsRequested(text, lastPrompt: null), text);

    [Theory]
    [InlineData("Can you call me next week?")]
    [InlineData("Guten Morgen, schreiben Sie mir bitte Infos per Mail")]
    [InlineData("don't text me again next week or ever")]
    [InlineData("Bitte schreiben Sie mir keine Nachrichten mehr, auch nicht nächste Woche")]
    [InlineData("Can we book a demo next Tuesday?")]
    [InlineData("maybe next week")]
    [InlineData("maybe a call after the holidays?")]
    public void AMeetingWishOrAnOptOutIsNoCheckBack(string text) =>
        Assert.False(CheckBack.IsRequested(text, lastPrompt: null), text);

    [Theory]
    [InlineData("next week")]
    [InlineData("in 2 weeks please")]
    [InlineData("Nächsten Monat")]
    [InlineData("maybe in the spring")]
    public void ATimeNamedInAnswerToOurQuestionWhenToCheckBackIsACheckBack(string text)
    {
        Assert.True(CheckBack.IsRequested(text, "No problem, I know timing matters. " + CheckBack.QuestionFor(german: false)), text);
        Assert.False(CheckBack.IsRequested(text, "Which day suits you best?"), text);
    }

    /// <summary>"in zwei Wochen" to "Wäre ein kurzes Gespräch später im Monat für Sie einfacher?" was thanked for and ignored.</summary>
    [Fact]
    public void ATimeNamedInAnswerToOurOfferOfALaterCallIsACheckBack() =>
        Assert.True(CheckBack.IsRequested("in zwei Wochen", "Kein Problem, das Timing muss passen. Wäre ein kurzes Gespräch später im Monat für Sie einfacher?"));

    [Fact]
    public void AMeetingWishAfterOurQuestionWhenToCheckBackStaysAMeetingWish() =>
        Assert.False(CheckBack.IsRequested("Can we book a call next Tuesday?", CheckBack.QuestionFor(german: false)));

    [Theory]
    [InlineData("can you text me again next week?", 2026, 12, 14)] // the Monday of next week
    [InlineData("try me again in two weeks", 2026, 12, 23)]
    [InlineData("message me next month", 2027, 1, 4)] // 1 January is a holiday, then the weekend
    [InlineData("write me on Friday", 2026, 12, 11)]
    [InlineData("text me next week Tuesday", 2026, 12, 15)]
    [InlineData("Melden Sie sich in einer Woche nochmal", 2026, 12, 16)]
    [InlineData("Schreiben Sie mir nach Weihnachten nochmal", 2027, 1, 7)]
    [InlineData("Please get back to me in March", 2027, 3, 1)]
    [InlineData("Please get back to me in the spring", 2027, 3, 1)]
    [InlineData("Melden Sie sich im Frühjahr nochmal", 2027, 3, 1)]
    [InlineData("text me later", 2026, 12, 14)] // three days on is a Saturday: the Monday after
    [InlineData("I'm on holiday till the 16th, ping me after?", 2026, 12, 17)] // the day after the lead is back
    [InlineData("Hi, I'm interested but I'm on holiday till the 20th, ping me after?", 2026, 12, 21)] // the 21st is the Monday after
    public void TheDayTheLeadNamedIsReadInItsZoneAtTenOnAWorkingDay(string text, int year, int month, int day) =>
        Assert.Equal(Berlin10(year, month, day), CheckBack.When(text, Written, Berlin));

    [Theory]
    [InlineData("text me tomorrow at 3pm", 15)]
    [InlineData("can you text me tomorrow around 2? busy rn", 14)]
    public void ATimeTheLeadNamedIsKept(string text, int hour) =>
        Assert.Equal(new DateTimeOffset(2026, 12, 10, hour, 0, 0, TimeSpan.FromHours(1)), CheckBack.When(text, Written, Berlin));

    /// <summary>"can you text me tomorrow around 2? busy rn" was told "I'll write to you again on Mon Dec 7", the time left out.</summary>
    [Theory]
    [InlineData("can you text me tomorrow around 2? busy rn", "en", "America/Toronto", "I'll write to you again on Thu Dec 10 at 2:00 PM.")]
    [InlineData("text me tomorrow at 3pm", "en", "Europe/Berlin", "I'll write to you again on Thu 10 Dec at 15:00.")]
    [InlineData("Schreiben Sie mir morgen um 15 Uhr", "de", "Europe/Berlin", "Ich melde mich am Do., 10. Dez. um 15:00 wieder bei Ihnen.")]
    public void TheConfirmationSaysTheTimeTheLeadNamed(string text, string language, string zoneId, string expected)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var written = new DateTimeOffset(2026, 12, 9, 12, 0, 0, TimeSpan.Zero);

        Assert.Contains(expected, CheckBack.Confirmation(CheckBack.When(text, written, zone), zone, language, "Anna", text), StringComparison.Ordinal);
    }

    [Fact]
    public void TheConfirmationSaysTheDayInTheLeadsLanguage()
    {
        Assert.Equal("Of course, Anna! I'll write to you again on Mon 14 Dec. If anything comes up before then, just reply here.", CheckBack.Confirmation(Berlin10(2026, 12, 14), Berlin, "en", "Anna", "text me next week"));
        Assert.Contains("Ich melde mich am Mo., 14. Dez. wieder bei Ihnen", CheckBack.Confirmation(Berlin10(2026, 12, 14), Berlin, "de", "Anna", "Schreiben Sie mir nächste Woche"), StringComparison.Ordinal);
    }

    /// <summary>"Ok, dann melde ich mich nächste Woche nochmal" was asked what would need to be true, as if it had said no.</summary>
    [Theory]
    [InlineData("I'll get back to you next week", "en", "If I haven't heard from you by Mon 14 Dec, I'll check in then.")]
    [InlineData("Ok, dann melde ich mich nächste Woche nochmal", "de", "Falls ich bis Mo., 14. Dez. nichts von Ihnen höre, melde ich mich dann kurz bei Ihnen.")]
    [InlineData("ok meld mich nächste woche nochmal", "de", "Falls ich bis Mo., 14. Dez. nichts von Ihnen höre, melde ich mich dann kurz bei Ihnen.")]
    [InlineData("Great, I'll discuss with the partners and get back to you next week", "en", "If I haven't heard from you by Mon 14 Dec, I'll check in then.")]
    public void ALeadPromisingToWriteItselfIsToldSalesFlowChecksInOnlyIfItHearsNothing(string text, string language, string expected)
    {
        Assert.True(CheckBack.IsRequested(text, lastPrompt: null));
        var at = CheckBack.When(text, Written, Berlin);
        var confirmation = CheckBack.Confirmation(at, Berlin, language, "Anna", text);

        Assert.Equal(Berlin10(2026, 12, 14), at);
        Assert.Contains(expected, confirmation, StringComparison.Ordinal);
        Assert.True(CheckBack.IsConfirmation(confirmation));
    }

    [Theory]
    [InlineData("I won't get back to you, stop texting")]
    [InlineData("Ich melde mich nicht mehr")]
    [InlineData("Ich melde mich hiermit ab")]
    public void ARefusalIsNoPromise(string text) =>
        Assert.False(Core.Brain.Rules.IntentRules.PromisesToGetBack(Core.Brain.Rules.LeadText.Parse(text)));
}

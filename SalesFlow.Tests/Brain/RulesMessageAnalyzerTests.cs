using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;

namespace SalesFlow.Tests.Brain;

public sealed class RulesMessageAnalyzerTests
{
    private readonly RulesMessageAnalyzer _analyzer = new();

    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData("Stop!!")]
    [InlineData("unsubscribe")]
    [InlineData("please stop texting me")]
    [InlineData("Abmelden")]
    [InlineData("Bitte keine Nachrichten mehr")]
    [InlineData("Bitte tragen Sie mich aus")]
    public void OptOutWordsAreOptOut(string text) => Assert.Equal(Intent.OptOut, _analyzer.Analyze(text).Intent);

    [Fact]
    public void OptOutWinsOverEveryOtherIntent()
    {
        var analysis = _analyzer.Analyze("Too expensive, unsubscribe me and don't call again");

        Assert.Equal(Intent.OptOut, analysis.Intent);
        Assert.True(analysis.Confidence >= 0.9);
    }

    [Fact]
    public void ZuTeuerIsAGermanObjection()
    {
        var analysis = _analyzer.Analyze("Das ist mir zu teuer");

        Assert.Equal("de", analysis.Language);
        Assert.Equal(Intent.Objection, analysis.Intent);
    }

    [Theory]
    [InlineData("That's too expensive")]
    [InlineData("not interested, thanks")]
    [InlineData("Kein Interesse")]
    [InlineData("We don't have the budget for this")]
    public void PriceAndInterestRejectionsAreObjectionsNotPricingOrInterest(string text) =>
        Assert.Equal(Intent.Objection, _analyzer.Analyze(text).Intent);

    [Theory]
    [InlineData("How much is it?")]
    [InlineData("what's the price for 5 users")]
    [InlineData("Was kostet das?")]
    [InlineData("Gibt es Rabatt?")]
    public void PriceQuestionsArePricingEvenWithAQuestionMark(string text) =>
        Assert.Equal(Intent.Pricing, _analyzer.Analyze(text).Intent);

    [Theory]
    [InlineData("Can I talk to a human?", Intent.Human)]
    [InlineData("Kann ich mit einem Mitarbeiter sprechen?", Intent.Human)]
    [InlineData("Where do I sign?", Intent.Purchase)]
    [InlineData("Ich nehme es", Intent.Purchase)]
    [InlineData("Can we book a demo on Tuesday?", Intent.Meeting)]
    [InlineData("Bitte um Rückruf", Intent.Meeting)]
    [InlineData("My login doesn't work", Intent.Support)]
    [InlineData("Funktioniert nicht, Fehler 500", Intent.Support)]
    [InlineData("Does it work with Outlook?", Intent.Question)]
    [InlineData("Sounds good, tell me more", Intent.Interest)]
    [InlineData("Hallo", Intent.Greeting)]
    [InlineData("Hey, how are you?", Intent.Greeting)]
    [InlineData("ok", Intent.Other)]
    public void KeywordsMapToTheirIntent(string text, Intent expected) =>
        Assert.Equal(expected, _analyzer.Analyze(text).Intent);

    [Fact]
    public void AnEmployeeCountIsNotARequestForAHuman() =>
        Assert.Equal(Intent.Question, _analyzer.Analyze("Können mehrere Mitarbeiter gleichzeitig darauf zugreifen?").Intent);

    [Theory]
    [InlineData("Hallo", "de")]
    [InlineData("Moin", "de")]
    [InlineData("Servus", "de")]
    [InlineData("Guten Tag", "de")]
    [InlineData("Danke", "de")]
    [InlineData("Schöne Grüße aus München", "de")]
    [InlineData("Hello", "en")]
    [InlineData("ok", "en")]
    [InlineData("👍", "en")]
    [InlineData("", "en")]
    [InlineData("Can you send me the details?", "en")]
    public void LanguageIsGermanOnEvidenceAndEnglishByDefault(string text, string expected) =>
        Assert.Equal(expected, _analyzer.Analyze(text).Language);

    [Theory]
    [InlineData("This is a scam")]
    [InlineData("You are the worst company ever")]
    [InlineData("I'm furious, my lawyer will hear about this")]
    [InlineData("Das ist Betrug, ich schalte meinen Anwalt ein")]
    [InlineData("THIS IS RIDICULOUS GIVE ME MY MONEY BACK")]
    public void InsultsAndThreatsAreStronglyNegative(string text)
    {
        var analysis = _analyzer.Analyze(text);

        Assert.True(analysis.IsStronglyNegative, $"score {analysis.SentimentScore}");
        Assert.Equal(Sentiment.Negative, analysis.Sentiment);
    }

    [Theory]
    [InlineData("Hallo, ich bin Anwältin und mache mich gerade selbstständig")]
    [InlineData("I'm a lawyer with a small practice, do you have a plan for two seats?")]
    [InlineData("Wir sind eine Kanzlei mit drei Anwälten")]
    [InlineData("Our lawyers need access from home too")]
    public void ALeadWhoIsALawyerIsNotAThreat(string text) =>
        Assert.False(_analyzer.Analyze(text).IsStronglyNegative);

    [Theory]
    [InlineData("You'll hear from our attorney")]
    [InlineData("I will get a lawyer involved if this isn't fixed")]
    [InlineData("Das gebe ich meinem Anwalt")]
    [InlineData("Dann gehe ich zum Anwalt")]
    [InlineData("Wir behalten uns rechtliche Schritte vor")]
    public void BringingInALawyerIsAThreat(string text) =>
        Assert.True(_analyzer.Analyze(text).IsStronglyNegative, text);

    [Theory]
    [InlineData("Could I talk to someone who did the course?")]
    [InlineData("Can we speak with a customer who already uses it?")]
    public void AskingForAReferenceIsNotAHandOver(string text) =>
        Assert.NotEqual(Intent.Human, _analyzer.Analyze(text).Intent);

    [Theory]
    [InlineData("not bad")]
    [InlineData("Not bad at all, actually")]
    [InlineData("gar nicht schlecht")]
    public void NegatedNegativeWordsAreNotNegative(string text) =>
        Assert.NotEqual(Sentiment.Negative, _analyzer.Analyze(text).Sentiment);

    [Theory]
    [InlineData("not good")]
    [InlineData("This is not good at all")]
    [InlineData("Das ist nicht gut")]
    public void NegatedPositiveWordsAreNegative(string text) =>
        Assert.Equal(Sentiment.Negative, _analyzer.Analyze(text).Sentiment);

    [Fact]
    public void IntensifiersAndExclamationsStrengthenTheScore()
    {
        var plain = _analyzer.Analyze("good").SentimentScore;
        var strong = _analyzer.Analyze("really good!").SentimentScore;

        Assert.True(strong > plain, $"{strong} <= {plain}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Hallo, ich habe eine Frage zu Ihrem Angebot und würde gern wissen, ob es auch für kleine Teams geht")]
    public void ScoresStayInRange(string text)
    {
        var analysis = _analyzer.Analyze(text);

        Assert.InRange(analysis.SentimentScore, -1, 1);
        Assert.InRange(analysis.Confidence, 0, 1);
    }

    [Fact]
    public void StrongKeywordsAreMoreConfidentThanTheFallback()
    {
        Assert.True(_analyzer.Analyze("STOP").Confidence > _analyzer.Analyze("hmm").Confidence);
        Assert.Equal(Intent.Other, _analyzer.Analyze("hmm").Intent);
        Assert.True(_analyzer.Analyze("hmm").Confidence < 0.5);
    }

    [Fact]
    public void SameTextGivesTheSameAnalysis() =>
        Assert.Equal(_analyzer.Analyze("Wie viel kostet das?"), _analyzer.Analyze("Wie viel kostet das?"));
}

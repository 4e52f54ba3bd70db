using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Tests.Brain;

/// <summary>"and spanish?" after the languages answer was met with "Got it, thanks", "and what about zoho?" after the CRM answer with the team.</summary>
public sealed class FollowUpQuestionTests
{
    [Theory]
    [InlineData("and spanish?", "spanish")]
    [InlineData("and what about zoho?", "zoho")]
    [InlineData("ok how about for 10 users?", "for 10 users")]
    [InlineData("und auf Französisch?", "auf Französisch")]
    [InlineData("und mit Pipedrive?", "Pipedrive")]
    [InlineData("Was ist mit Instagram?", "Instagram")]
    [InlineData("wie sieht's mit Outlook aus?", "Outlook")]
    [InlineData("spanish too?", "spanish")]
    [InlineData("Spanisch auch?", "Spanisch")]
    [InlineData("schade. und per mail?", "per mail")]
    [InlineData("what about zapier", "zapier")]
    [InlineData("ok and what about calendly", "calendly")]
    [InlineData("Was ist mit Pipedrive", "Pipedrive")]
    public void AQuestionAskedAgainAboutSomethingElseNamesIt(string text, string term) =>
        Assert.Equal(term, FollowUpQuestion.TermOf(text));

    [Theory]
    [InlineData("we're on zoho tho", "zoho")]
    [InlineData("but we use outlook", "outlook")]
    [InlineData("we use square appointments tho", "square appointments")]
    [InlineData("yeah but we’re using pipedrive", "pipedrive")]
    [InlineData("wir nutzen aber Outlook", "Outlook")]
    [InlineData("Wir haben halt Pipedrive.", "Pipedrive")]
    public void TheToolTheLeadUsesSetAgainstTheAnswerIsAFollowUp(string text, string term) =>
        Assert.Equal(term, FollowUpQuestion.TermOf(text));

    [Theory]
    [InlineData("we use hubspot")]
    [InlineData("we already use calendly tho")]
    [InlineData("but we have 5 people")]
    [InlineData("we use it for bookings tho")]
    [InlineData("wir nutzen Outlook")]
    [InlineData("but we use whatsapp for everything and it is a mess")]
    [InlineData("what about tomorrow")]
    [InlineData("ok und kostet das was?")]
    [InlineData("und dauert das lange?")]
    [InlineData("how about we talk next week")]
    public void NoContrastAnAmountAPronounOrADescriptionIsNoToolFollowUp(string text) =>
        Assert.Null(FollowUpQuestion.TermOf(text));

    /// <summary>"can it book them into our calendar? we use vagaro": the tool named beside a question, with or without a contrast.</summary>
    [Theory]
    [InlineData("we use vagaro", "vagaro")]
    [InlineData("Wir nutzen Theorg.", "Theorg")]
    [InlineData("we're on zoho tho", "zoho")]
    [InlineData("we have customers", null)]
    [InlineData("we run a salon", null)]
    [InlineData("wir haben viele Anfragen", null)]
    [InlineData("we use it for bookings", null)]
    public void TheToolASentenceSaysTheLeadUsesIsNamed(string sentence, string? tool) =>
        Assert.Equal(tool, FollowUpQuestion.ToolUsed(sentence));

    [Theory]
    [InlineData("ok and is there a setup fee?")]
    [InlineData("and how long does the setup take?")]
    [InlineData("und gibt es eine Testphase?")]
    [InlineData("ok and you?")]
    [InlineData("what about tomorrow?")]
    [InlineData("how about thursday?")]
    [InlineData("and then?")]
    [InlineData("does it speak spanish?")]
    [InlineData("and we have five people in the team, is that enough for it to be worth it?")]
    public void AQuestionOfItsOwnATimeOrAPersonIsNoFollowUp(string text) =>
        Assert.Null(FollowUpQuestion.TermOf(text));

    /// <summary>"was ist mit dem Datenschutz?" was echoed "Dem Datenschutz?": the article's case belonged to the lead's sentence.</summary>
    [Theory]
    [InlineData("dem Datenschutz", "Datenschutz? ")]
    [InlineData("die Einrichtung", "Einrichtung? ")]
    [InlineData("a free trial", "A free trial? ")]
    [InlineData("spanish", "Spanish? ")]
    public void AFollowUpIsEchoedWithoutTheGermanArticle(string term, string echo) =>
        Assert.Equal(echo, FollowUpQuestion.Echo(term));

    [Fact]
    public void AFollowUpIsAnsweredWithTheAnswerJustGivenWhenItAppliesToo()
    {
        const string passage = "[languages-en] Q: Which languages does it speak?\nA: It replies in English or German. With an OpenAI key it can answer in other languages as well.";
        var first = RulesReplyGenerator.Generate(Request("does it speak other languages?", []) with { Knowledge = [passage] });
        var history = new[] { new HistoryMessage(true, "does it speak other languages?", ChannelKind.WhatsApp, DateTimeOffset.UnixEpoch), new HistoryMessage(false, first, ChannelKind.WhatsApp, DateTimeOffset.UnixEpoch) };

        var second = RulesReplyGenerator.Generate(Request("and spanish?", history) with { Knowledge = [passage] });

        Assert.StartsWith("Spanish? It replies in English or German.", second, StringComparison.Ordinal);
    }

    private static ReplyRequest Request(string text, IReadOnlyList<HistoryMessage> history) =>
        new(ConversationState.InterestQualification, ConversationState.InterestQualification, new MessageAnalysis("en", Intent.Other, Sentiment.Neutral, 0, 0.8), "Sophie", ChannelKind.WhatsApp, text, history.Count + 1, "Acme") { History = history };
}

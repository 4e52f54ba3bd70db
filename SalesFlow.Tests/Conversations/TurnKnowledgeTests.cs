using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Tests.Conversations;

/// <summary>A German lead asking "Unterstützt ihr auch Salesforce?" was answered from the English FAQ, which scored a little higher than its German twin.</summary>
public sealed class TurnKnowledgeTests
{
    private static readonly Passage English = new("crm-en", "kb", SourceKind.Faq, "CRM", "Q: Does it integrate with our CRM? A: SalesFlow keeps HubSpot in sync. Salesforce is not connected yet.", 0.37);
    private static readonly Passage German = new("crm-de", "kb", SourceKind.Faq, "CRM", "Q: Gibt es eine Anbindung an unser CRM? A: SalesFlow hält HubSpot synchron. Salesforce ist noch nicht angebunden.", 0.35);

    /// <summary>A retriever that finds nothing unless a test sets up a query of its own.</summary>
    private static Mock<IKnowledgeRetriever> FindingNothing()
    {
        var retriever = new Mock<IKnowledgeRetriever>();
        retriever.Setup(r => r.RetrieveAsync("acme", It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(new KnowledgeContext([]));
        return retriever;
    }

    private static TurnKnowledge With(params Passage[] passages)
    {
        var retriever = new Mock<IKnowledgeRetriever>();
        retriever.Setup(r => r.RetrieveAsync("acme", It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new KnowledgeContext(passages));
        return new TurnKnowledge(retriever.Object, NullLogger<TurnKnowledge>.Instance);
    }

    [Fact]
    public async Task PassagesInTheRepliesLanguageComeFirst()
    {
        var passages = await With(English, German).ForAsync("acme", "Acme", "Unterstützt ihr auch Salesforce?", "de", default);

        Assert.Equal(["crm-de", "crm-en"], passages.Select(p => p[1..p.IndexOf(']')]));
    }

    [Fact]
    public async Task WithoutAPassageInTheRepliesLanguageTheOthersStayInTheirOrder()
    {
        var passages = await With(English).ForAsync("acme", "Acme", "Unterstützt ihr auch Salesforce?", "de", default);

        Assert.Single(passages, p => p.StartsWith("[crm-en]", StringComparison.Ordinal));
    }

    /// <summary>A tax adviser's e-mail (greeting, story, question, signature) found nothing: its question was drowned.</summary>
    [Theory]
    [InlineData("Sehr geehrte Damen und Herren,\n\nwir sind eine Kanzlei mit 14 Mitarbeitern. Anfragen bleiben liegen. Könnten Sie mir erläutern, welche Kosten entstehen?\n\nMit freundlichen Grüßen\nLaura Fischer", "Könnten Sie mir erläutern, welche Kosten entstehen?")]
    [InlineData("Thanks! Does it work with gmail.com? And is there a contract?", "Does it work with gmail.com?|And is there a contract?")]
    [InlineData("We lose leads every week.", "We lose leads every week.")]
    [InlineData("Ist das System DSGVO-konform und wo werden die Daten gespeichert?", "Ist das System DSGVO-konform|wo werden die Daten gespeichert?")]
    [InlineData("Could you explain how it helps, and what does it cost?", "Could you explain how it helps|what does it cost?")]
    [InlineData("Do you have apples and pears?", "Do you have apples and pears?")]
    [InlineData("Danke für die Info. Wir nutzen allerdings kein Cal.com sondern Doctolib. Geht das trotzdem?", "Wir nutzen allerdings kein Cal.com sondern Doctolib. Geht das trotzdem?")]
    [InlineData("Hello! I run a small online shop. Mostly Instagram DMs and emails. Could this help?", "Mostly Instagram DMs and emails. Could this help?")]
    [InlineData("ah shame. what about whatsapp then, most customers text us anyway", "what about whatsapp then")]
    [InlineData("Was kostet das bei Ihnen und geht das auch mit Instagram?", "Was kostet das bei Ihnen|geht das auch mit Instagram?")]
    [InlineData("ok und was kostet das bei 5 Leuten", "ok und was kostet das bei 5 Leuten")]
    [InlineData("we are a bakery, we do cakes", "we are a bakery, we do cakes")]
    [InlineData("Guten Tag, wir sind ein Steuerbüro und möchten wissen, ob das System auch auf Deutsch antwortet.", "ob das System auch auf Deutsch antwortet")]
    [InlineData("Hi, I'd like to know whether it answers in German", "whether it answers in German")]
    public void TheLeadsQuestionsAreWhatIsSearchedFor(string text, string queries) =>
        Assert.Equal(queries.Split('|'), TurnKnowledge.QuestionsIn(text));

    /// <summary>A dental practice asked about GDPR and booking in one e-mail and was answered about GDPR alone.</summary>
    [Fact]
    public async Task EachQuestionsBestPassageComesFirstInTheOrderAsked()
    {
        var gdpr = new Passage("gdpr-en", "kb", SourceKind.Faq, "GDPR", "Q: Is it GDPR compliant? A: It runs in your own Azure subscription.", 0.7);
        var gdprNotes = new Passage("gdpr-notes", "kb", SourceKind.Faq, "GDPR", "Q: Where is data stored? A: In the region you choose.", 0.6);
        var calendar = new Passage("calendar-en", "kb", SourceKind.Faq, "Calendar", "Q: Can it book meetings? A: It books free slots from your calendar.", 0.4);
        var retriever = new Mock<IKnowledgeRetriever>();
        retriever.Setup(r => r.RetrieveAsync("acme", "Is your tool GDPR compliant", It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(new KnowledgeContext([gdpr, gdprNotes]));
        retriever.Setup(r => r.RetrieveAsync("acme", "can it book appointments into our system?", It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(new KnowledgeContext([calendar]));

        var passages = await new TurnKnowledge(retriever.Object, NullLogger<TurnKnowledge>.Instance).ForAsync("acme", "Acme", "Is your tool GDPR compliant, and can it book appointments into our system?", "en", default);

        Assert.Equal(["gdpr-en", "calendar-en", "gdpr-notes"], passages.Select(p => p[1..p.IndexOf(']')]));
    }

    /// <summary>Each question is searched on its own; the best passages of all come back.</summary>
    [Fact]
    public async Task EachQuestionIsSearchedAndTheBestPassagesOfAllAreKept()
    {
        var gdpr = new Passage("gdpr-de", "kb", SourceKind.Faq, "DSGVO", "Q: Ist es DSGVO-konform? A: Es läuft in Ihrem eigenen Azure-Abonnement.", 0.5);
        var retriever = new Mock<IKnowledgeRetriever>();
        retriever.Setup(r => r.RetrieveAsync("acme", "Ist das System DSGVO-konform", It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(new KnowledgeContext([gdpr, German]));
        retriever.Setup(r => r.RetrieveAsync("acme", "wo werden die Daten gespeichert?", It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(new KnowledgeContext([gdpr with { Score = 0.4 }]));

        var passages = await new TurnKnowledge(retriever.Object, NullLogger<TurnKnowledge>.Instance).ForAsync("acme", "Acme", "Ist das System DSGVO-konform und wo werden die Daten gespeichert?", "de", default);

        Assert.Equal(["gdpr-de", "crm-de"], passages.Select(p => p[1..p.IndexOf(']')]));
    }

    /// <summary>"Was kostet das für drei Standorte?" found no price answer: the size it asked for shares no word with it.</summary>
    [Theory]
    [InlineData("Was kostet das für drei Standorte?", "Was kostet das?")]
    [InlineData("how much would it be for a team of 5", "how much would it be")]
    [InlineData("ok und was kostet das bei 5 Leuten", "ok und was kostet das")]
    [InlineData("what would it cost us with 12 agents?", "what would it cost us?")]
    [InlineData("Was kostet es mit ca. 20 Mitarbeitern im Monat?", "Was kostet es im Monat?")]
    public void TheSizeAQuestionIsAskedForIsAlsoLeftOut(string question, string unscoped) =>
        Assert.Equal(unscoped, TurnKnowledge.WithoutScope(question));

    [Theory]
    [InlineData("How much is it?")]
    [InlineData("for 5 users?")]
    [InlineData("Does it work with Salesforce?")]
    public void AQuestionWithoutASizeOrWithNothingElseIsSearchedAsItIs(string question) =>
        Assert.Null(TurnKnowledge.WithoutScope(question));

    [Fact]
    public async Task AScopedQuestionFindsWhatItsQuestionWithoutTheScopeFinds()
    {
        var price = new Passage("price-en", "kb", SourceKind.Faq, "Price", "Q: What does it cost? A: There is no licence fee.", 0.6);
        var retriever = FindingNothing();
        retriever.Setup(r => r.RetrieveAsync("acme", "what does it cost?", It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(new KnowledgeContext([price]));

        var passages = await new TurnKnowledge(retriever.Object, NullLogger<TurnKnowledge>.Instance).ForAsync("acme", "Acme", "what does it cost for 3 locations?", "en", default);

        Assert.Equal(["price-en"], passages.Select(p => p[1..p.IndexOf(']')]));
    }

    /// <summary>"hey whats this about" found nothing (it names nothing) and was greeted; it asks what the business does.</summary>
    [Theory]
    [InlineData("hey whats this about", "en", "What does Acme do?")]
    [InlineData("ok so how does it actually work", "en", "What does Acme do?")]
    [InlineData("Was macht ihr eigentlich?", "de", "Was macht Acme?")]
    public async Task AQuestionAboutTheBusinessThatFindsNothingIsAskedWhatTheBusinessDoes(string text, string language, string query)
    {
        var what = new Passage("what", "kb", SourceKind.Faq, "What", "Q: What does Acme do? A: Acme answers your leads.", 0.5);
        var retriever = FindingNothing();
        retriever.Setup(r => r.RetrieveAsync("acme", query, It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(new KnowledgeContext([what]));

        var passages = await new TurnKnowledge(retriever.Object, NullLogger<TurnKnowledge>.Instance).ForAsync("acme", "Acme", text, language, default);

        Assert.Equal(["what"], passages.Select(p => p[1..p.IndexOf(']')]));
    }

    [Fact]
    public async Task AQuestionThatIsNotAboutTheBusinessIsNotAskedWhatItDoes()
    {
        var retriever = FindingNothing();

        var passages = await new TurnKnowledge(retriever.Object, NullLogger<TurnKnowledge>.Instance).ForAsync("acme", "Acme", "do your solar panels come with a warranty?", "en", default);

        Assert.Empty(passages);
        retriever.Verify(r => r.RetrieveAsync("acme", "What does Acme do?", It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task WithoutALanguageTheIndexsOrderStays()
    {
        var passages = await With(English, German).ForAsync("acme", "Acme", "Salesforce?", null, default);

        Assert.Equal(["crm-en", "crm-de"], passages.Select(p => p[1..p.IndexOf(']')]));
    }
}

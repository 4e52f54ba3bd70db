using System.Reflection;
using System.Text.RegularExpressions;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Tests.Brain;

public sealed partial class GermanAddressTests
{
    [Theory]
    [InlineData("Hey! Kannst du mir sagen, wie das bei euch funktioniert?", true)]
    [InlineData("Habt ihr auch eine Schnittstelle zu HubSpot?", true)]
    [InlineData("Was kostet das bei euch?", true)]
    [InlineData("Können Sie mir sagen, wie das funktioniert?", false)]
    [InlineData("Guten Tag, was kostet Ihr Produkt?", false)]
    [InlineData("Was kostet das?", false)]
    [InlineData("Unsere Kunden fragen oft nach Preisen. Sie wollen schnelle Antworten.", false)]
    public void HowTheLeadAddressesUsIsRead(string text, bool du) =>
        Assert.Equal(du, GermanAddress.LeadUsesDu(text, null));

    [Fact]
    public void TheLatestMessageWithAFormOfAddressDecides()
    {
        var history = new[] { new HistoryMessage(true, "Hey, habt ihr WhatsApp?", ChannelKind.WhatsApp, DateTimeOffset.UnixEpoch) };

        Assert.True(GermanAddress.LeadUsesDu("ok, was kostet das?", history));
        Assert.False(GermanAddress.LeadUsesDu("Können Sie mir ein Angebot schicken?", history));
    }

    /// <summary>Every German template in the du-form: no Sie-form may be left (a new template needs its phrase).</summary>
    [Fact]
    public void EveryGermanTemplateHasADuForm()
    {
        var templates = GermanTemplates().ToList();
        var left = templates.Select(GermanAddress.ToDu).Where(t => SieForm().IsMatch(t)).ToList();

        Assert.True(templates.Count(t => SieForm().IsMatch(t)) > 80, $"only {templates.Count} templates found");

        Assert.True(left.Count == 0, "Sie-form left in: " + string.Join(" | ", left));
    }

    [Theory]
    [InlineData("{hi}! Danke, dass Sie sich bei {client} melden.", "{hi}! Danke, dass du dich bei {client} meldest.")]
    [InlineData("Was würden Sie an Ihrer aktuellen Lösung verbessern, wenn Sie könnten?", "Was würdest du an deiner aktuellen Lösung verbessern, wenn du könntest?")]
    [InlineData("Verstanden{, name}. Sie erhalten keine weiteren Nachrichten von uns. Entschuldigen Sie die Störung.", "Verstanden{, name}. Du erhältst keine weiteren Nachrichten von uns. Entschuldige die Störung.")]
    [InlineData("Natürlich{, name}, nehmen Sie sich die Zeit, die Sie brauchen.", "Natürlich{, name}, nimm dir die Zeit, die du brauchst.")]
    [InlineData("Was bräuchten Sie, um sich sicher zu fühlen?", "Was bräuchtest du, um dich sicher zu fühlen?")]
    public void ATemplateIsTurnedIntoTheDuForm(string formal, string informal) =>
        Assert.Equal(informal, GermanAddress.ToDu(formal));

    /// <summary>The fixed replies (meetings, short answers, check-backs, consent, e-mail confirmation) as they read in German.</summary>
    [Theory]
    [InlineData("Der Termin am Di., 8. Dez. 14:00 ist abgesagt. Melden Sie sich gern, wenn Sie einen neuen möchten.")]
    [InlineData("In den nächsten Tagen ist im Kalender leider nichts frei. Soll Sie jemand aus dem Team anrufen, um einen Termin zu finden?")]
    [InlineData("Ich erreiche den Kalender gerade nicht. Ich melde mich gleich mit freien Terminen, oder jemand aus dem Team ruft Sie an.")]
    [InlineData("Sie haben bereits einen Termin: Di., 8. Dez. 14:00 (Europe/Berlin). Möchten Sie ihn verschieben?")]
    [InlineData("Ich erreiche den Kalender gerade nicht und konnte den Termin noch nicht ändern. Bitte versuchen Sie es in ein paar Minuten noch einmal, oder jemand aus dem Team hilft Ihnen.")]
    [InlineData("Prima, Lisa, dann bis zum Termin! Falls vorher Fragen aufkommen, schreiben Sie mir einfach.")]
    [InlineData("Prima, Lisa! Erzählen Sie mir kurz mehr dazu, dann schlage ich Ihnen den passenden nächsten Schritt vor. Oder möchten Sie direkt einen kurzen Termin?")]
    [InlineData("Gerne, Lisa! Falls ich bis Di., 8. Dez. nichts von Ihnen höre, melde ich mich dann kurz bei Ihnen. Falls vorher etwas ist, schreiben Sie einfach hier.")]
    [InlineData("Willkommen zurück, Lisa! Sie erhalten wieder Nachrichten von Acme. Mit STOPP melden Sie sich jederzeit ab.")]
    [InlineData("Danke, Lisa! Ich habe Ihnen eine kurze Bestätigung an lisa@example.com geschickt. Senden Sie mir den Code daraus hier zurück (oder öffnen Sie den Link darin), dann nutzen wir diese Adresse.")]
    [InlineData(" Unser Team arbeitet nach Europe/Berlin-Zeit, daher sind das die Zeiten, die Ihrem Arbeitstag am nächsten liegen.")]
    public void EveryFixedGermanReplyHasADuForm(string formal) =>
        Assert.DoesNotMatch(SieForm(), GermanAddress.ToDu(formal));

    [Fact]
    public void ALeadOnDuIsAnsweredWithDu()
    {
        var request = new ReplyRequest(ConversationState.InterestQualification, ConversationState.InitialContact,
            new MessageAnalysis("de", Intent.Question, Sentiment.Neutral, 0, 0.8), "Lisa", ChannelKind.WhatsApp, "Hey, habt ihr eine Schnittstelle zu Pipedrive?", 1, "Acme");

        var du = RulesReplyGenerator.Generate(request);
        var sie = RulesReplyGenerator.Generate(request with { LeadText = "Guten Tag, haben Sie eine Schnittstelle zu Pipedrive?" });

        Assert.DoesNotMatch(SieForm(), du);
        Assert.Matches(SieForm(), sie);
    }

    /// <summary>"Sie zahlen Ihre eigenen Azure-Ressourcen. Soll ich dir…": one message keeps one form of address.</summary>
    [Fact]
    public void AReplyQuotingKnowledgeInTheSieFormStaysOnSie()
    {
        var request = new ReplyRequest(ConversationState.InterestQualification, ConversationState.InitialContact,
            new MessageAnalysis("de", Intent.Question, Sentiment.Neutral, 0, 0.8), "Lisa", ChannelKind.WhatsApp, "Hey, was kostet das bei euch?", 1, "Acme",
            Knowledge: ["Q: Was kostet das?\nA: Sie zahlen nur Ihre eigenen Azure-Ressourcen."]);

        var reply = RulesReplyGenerator.Generate(request);

        Assert.StartsWith("Sie zahlen nur Ihre eigenen Azure-Ressourcen.", reply, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\b(?:du|dir|dich|dein\w*)\b", reply);
    }

    private static IEnumerable<string> GermanTemplates()
    {
        foreach (var field in typeof(ReplyTemplates).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
        {
            var value = field.GetValue(null);
            List<ReplyTemplates.Variants> variants = value switch
            {
                ReplyTemplates.Variants v => [v],
                System.Collections.IDictionary d => [.. d.Values.Cast<object>().SelectMany(Unpack)],
                _ => [],
            };
            foreach (var v in variants)
            {
                foreach (var text in v.De)
                {
                    yield return text;
                }
            }
        }
    }

    /// <summary>A dictionary's value: one set of variants, or a tuple of them (an objection's opener and question).</summary>
    private static IEnumerable<ReplyTemplates.Variants> Unpack(object value) => value switch
    {
        ReplyTemplates.Variants v => [v],
        System.Runtime.CompilerServices.ITuple t => Enumerable.Range(0, t.Length).Select(i => t[i]).OfType<ReplyTemplates.Variants>(),
        _ => [],
    };

    [GeneratedRegex(@"\b(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b")]
    private static partial Regex SieForm();
}

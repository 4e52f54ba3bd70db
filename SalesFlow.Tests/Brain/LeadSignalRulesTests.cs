using SalesFlow.Core.Brain.Rules;

namespace SalesFlow.Tests.Brain;

public class LeadSignalRulesTests
{
    [Theory]
    [InlineData("Wir sind ein Autohaus mit 8 Verkäufern", true)]
    [InlineData("we are a team of 12", true)]
    [InlineData("We need a CRM for 10 salespeople", true)]
    [InlineData("Was kostet das für 5 Nutzer?", true)]
    [InlineData("Wir sind ein 6-köpfiges Team", true)]
    [InlineData("We have 3 sales reps", true)]
    [InlineData("We're a recruitment agency, 15 consultants", true)]
    [InlineData("Maklerbüro mit 4 Beratern", true)]
    [InlineData("ein Maschinenbauer mit 40 Vertriebsmitarbeitern", true)]
    [InlineData("I run a dog grooming salon in Leeds, 2 groomers", true)]
    [InlineData("Malerbetrieb, 3 Maler und 2 Azubis", true)]
    [InlineData("a clinic with 4 physios", true)]
    [InlineData("wir sind zu dritt und schaffen es oft nicht", true)]
    [InlineData("there are three of us", true)]
    [InlineData("we're a plumbing firm in Bristol, 6 vans", true)]
    [InlineData("Wir sind ein Handwerksbetrieb (Sanitär) mit 8 Leuten.", true)]
    [InlineData("wir sind eine Zahnarztpraxis in Stuttgart mit 3 Behandlern", true)]
    [InlineData("Wir haben 6 Fahrlehrer", true)]
    [InlineData("eine Werkstatt mit 4 Automechanikern", true)]
    [InlineData("wir sind 3 Immobilienmakler", true)]
    [InlineData("we get 200 customers a week", false)]
    [InlineData("We have 5 minutes", false)]
    [InlineData("Was kostet das?", false)]
    [InlineData("Können wir am 8. telefonieren?", false)]
    [InlineData("We have 2 questions", false)]
    public void ATeamSizeIsRecognisedWhereTheLeadGivesIt(string text, bool expected) =>
        Assert.Equal(expected, LeadSignalRules.StatesTeamSize(text));

    [Theory]
    [InlineData("I'm Anna Schmidt, Head of Sales at Acme GmbH.", "Head of Sales", "Acme GmbH")]
    [InlineData("Hi, Tom here, CEO of Brightline Labs", "CEO", "Brightline Labs")]
    [InlineData("Ich bin Jonas Weber, Vertriebsleiter bei Müller Logistik.", "Vertriebsleiter", "Müller Logistik")]
    [InlineData("I am the CTO and I work at Nordwind AG.", "CTO", "Nordwind AG")]
    public void ARoleAndCompanyStatedTogetherAreBothRead(string text, string role, string company)
    {
        var (bant, _, facts) = LeadSignalRules.Read(text);

        Assert.Equal((role, company), (facts.Role, facts.Company));
        Assert.True(bant.Authority.Score >= 0.7, $"a senior role is authority: {bant.Authority.Score}");
    }

    [Theory]
    [InlineData("We want to roll out next month.", "next month")]
    [InlineData("Wir wollen nächsten Monat starten.", "nächsten Monat")]
    [InlineData("Go-live this quarter would be ideal.", "this quarter")]
    public void ANextPeriodWithoutAPrepositionIsATimeline(string text, string timeline)
    {
        var (bant, _, facts) = LeadSignalRules.Read(text);

        Assert.Equal(timeline, facts.Timeline);
        Assert.True(bant.Timeline.Score > 0);
    }

    [Theory]
    [InlineData("We want to roll it out for 40 reps.")]
    [InlineData("Wir möchten das für 25 Mitarbeiter einführen.")]
    public void APlanForATeamIsANeed(string text) =>
        Assert.True(LeadSignalRules.Read(text).Bant.Need.Score > 0);

    [Theory]
    [InlineData("Thanks, see you next week!")]
    [InlineData("The weather is nice this year.")]
    public void ASmallTalkMentionOfAPeriodIsNoNeedOrAuthority(string text)
    {
        var (bant, _, facts) = LeadSignalRules.Read(text);

        Assert.Equal((0d, 0d, null, null), (bant.Need.Score, bant.Authority.Score, facts.Role, facts.Company));
    }

    [Fact]
    public void AQualifiedLeadStatingAllFourIsHot()
    {
        var (bant, _, _) = LeadSignalRules.Read("I'm Anna Schmidt, Head of Sales at Acme GmbH. We have a budget of 20,000 EUR and want to roll out next month for 40 reps.");

        var overall = (bant.Budget.Score + bant.Authority.Score + bant.Need.Score + bant.Timeline.Score) / 4;
        Assert.True(overall >= 0.6, $"overall {overall}");
    }
}

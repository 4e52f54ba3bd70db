using SalesFlow.Core.Brain.Rules;

namespace SalesFlow.Tests.Brain;

/// <summary>"kann der bot auch fahrstunden buchen?" named the driving school's lessons, not appointments, and was left to the team.</summary>
public sealed class BookingQuestionTests
{
    [Theory]
    [InlineData("kann der bot auch fahrstunden buchen?", true)]
    [InlineData("can it book classes for my gym?", true)]
    [InlineData("Kann das System Behandlungen eintragen?", true)]
    [InlineData("can you book me in for a demo on friday?", false)]
    [InlineData("Können Sie mir einen Termin mit Ihnen buchen?", false)]
    [InlineData("it can book classes", false)]
    [InlineData("what does it cost?", false)]
    public void AQuestionWhetherItBooksWhatTheLeadsCustomersBookIsRecognised(string text, bool expected) =>
        Assert.Equal(expected, IntentRules.AsksIfItBooks(LeadText.Parse(text)));

    /// <summary>"What if a patient wants to cancel their appointment?" was offered demo times.</summary>
    [Theory]
    [InlineData("What if a patient wants to cancel their appointment?", false)]
    [InlineData("Und wenn ein Kunde den Termin verschieben will?", false)]
    [InlineData("what if we want a meeting?", true)]
    [InlineData("can we book a meeting?", true)]
    public void ACaseOfTheLeadsCustomersIsNoMeetingWish(string text, bool meeting) =>
        Assert.Equal(meeting, RulesInsightsExtractor.Analyze(text).Intent == Core.Brain.Intent.Meeting);
}

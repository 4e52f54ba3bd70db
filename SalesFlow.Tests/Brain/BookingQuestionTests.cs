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
}

using SalesFlow.Core.Brain;
using SalesFlow.Core.Conversations;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>"is this the sales bot" handed the lead over, and its next five messages went unanswered.</summary>
public sealed class BotQuestionTurnTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Theory]
    [InlineData("is this the sales bot")]
    [InlineData("Bist du ein Mensch oder ein Bot?")]
    public async Task A_lead_only_asking_if_it_writes_to_a_bot_is_told_and_answered_on(string question)
    {
        var intake = await _bed.Say(question, "wamid.bot");
        var first = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!;
        _bed.Clock.Advance(TimeSpan.FromMinutes(1));
        await _bed.Say("cool. we're a 10 person roofing company in austin", "wamid.next");

        var next = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!;

        Assert.Matches("AI assistant|KI-Assistent", first.Reply!.Text);
        Assert.False((await _bed.Leads.GetAsync("acme", intake.LeadId, default))!.Escalated);
        Assert.NotNull(next.Reply);
    }

    [Theory]
    [InlineData("are you a bot? I want to talk to a real person")]
    [InlineData("Can I speak to a human please")]
    public async Task A_lead_asking_for_a_person_is_handed_over(string text)
    {
        var intake = await _bed.Say(text, "wamid.person");

        await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);

        Assert.True((await _bed.Leads.GetAsync("acme", intake.LeadId, default))!.Escalated);
    }

    [Theory]
    [InlineData("is this the sales bot", false)]
    [InlineData("are you a bot? I want to talk to a real person", true)]
    [InlineData("Ich möchte mit einem Mitarbeiter sprechen. Bist du ein Bot?", true)]
    public void Only_a_wish_for_a_person_escalates_a_hand_over_reading(string text, bool escalates) =>
        Assert.Equal(escalates, LeadTurnUpdater.IsEscalationTurn(new MessageAnalysis("en", Intent.Human, Sentiment.Neutral, 0, 0.9), text));
}

using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Delivery;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>The combined reading (rules + learnt model) is what a real turn of the embedded brain acts on.</summary>
public sealed class LearntBrainTurnTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task AHandOverTheRulesMissedIsReadByTheModelAndTheLeadGoesToAHuman()
    {
        const string Text = "ich möchte mit Ihrem Außendienst sprechen"; // "field sales": no cue of the rules
        Assert.NotEqual(Intent.Human, RulesInsightsExtractor.Analyze(Text).Intent);
        var accepted = await _bed.Say(Text, "wamid.1");

        var turn = await _bed.Engine().ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(Intent.Human, turn!.Analysis.Intent);
        Assert.Equal(OutboxPurpose.Handover, turn.Reply!.Purpose);
        Assert.True((await _bed.Leads.GetAsync("acme", accepted.LeadId, default))!.Escalated);
    }

    [Fact]
    public async Task AStopInATurnStaysAnOptOut()
    {
        var accepted = await _bed.Say("STOP", "wamid.1");

        var turn = await _bed.Engine().ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(Intent.OptOut, turn!.Analysis.Intent);
    }
}

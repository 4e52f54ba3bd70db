using SalesFlow.Core.Brain;
using SalesFlow.Core.Recommendations;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Recommendations;

/// <summary>A support case is told a colleague will look into it: whole turns on the real stores hand it to a person.</summary>
public sealed class SupportCaseRecommendationTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task A_lead_reporting_a_problem_is_handed_to_a_person_in_the_next_best_actions()
    {
        var intake = await _bed.Say("I'm already a customer and since yesterday our WhatsApp messages don't arrive anymore", "wamid.support");

        var turn = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!;

        Assert.Equal(Intent.Support, turn.Analysis.Intent);
        var actions = await new SqliteRecommendationStore(_bed.Temp.Db).ListAsync("acme", new RecommendationFilter(LeadId: intake.LeadId), 50, default);
        Assert.Contains(actions, r => r.Kind == RecommendationKinds.HandToHuman && r.Trigger.StartsWith("support:", StringComparison.Ordinal));
    }

    /// <summary>"Kundennummer 48213" after the request for details was asked what brought the lead to us.</summary>
    [Theory]
    [InlineData("Customer number 48213")]
    [InlineData("when will someone get back to me?")]
    public async Task The_details_sent_for_a_support_case_are_acknowledged_as_passed_on(string details)
    {
        var intake = await _bed.Say("I'm already a customer and since yesterday our WhatsApp messages don't arrive anymore", "wamid.support");
        await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);
        _bed.Clock.Advance(TimeSpan.FromMinutes(2));
        await _bed.Say(details, "wamid.details");

        var turn = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!;

        Assert.Equal("Thanks, Anna, I've passed that on to the colleague. They'll get back to you personally as soon as they can.", turn.Reply!.Text);
    }

    [Fact]
    public async Task A_sales_question_hands_nothing_to_a_person()
    {
        var intake = await _bed.Say("What does it cost for 5 users?", "wamid.price");

        await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);

        var actions = await new SqliteRecommendationStore(_bed.Temp.Db).ListAsync("acme", new RecommendationFilter(LeadId: intake.LeadId), 50, default);
        Assert.DoesNotContain(actions, r => r.Kind == RecommendationKinds.HandToHuman);
    }
}

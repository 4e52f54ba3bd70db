using SalesFlow.Core.Brain;
using SalesFlow.Core.Recommendations;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Recommendations;

/// <summary>
/// A support case is told a colleague will look into it, a question without an answer in the knowledge base that the
/// team will check: whole turns on the real stores give it to a person.
/// </summary>
public sealed class ColleagueFollowUpRecommendationTests : IDisposable
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
        var turn = await AfterTheRequestForDetails(details);

        Assert.Equal("Thanks, Anna, I've passed that on to the colleague. They'll get back to you personally as soon as they can.", turn.Reply!.Text);
    }

    /// <summary>"how do i know yours wont do the same", after a support reading, was thanked and told the colleague had it.</summary>
    [Theory]
    [InlineData("how do i know yours wont do the same")]
    [InlineData("ok but what does your thing actually do?")]
    public async Task A_question_about_the_product_after_the_request_for_details_is_answered_not_passed_on(string question)
    {
        var turn = await AfterTheRequestForDetails(question);

        Assert.DoesNotContain("passed that on", turn.Reply!.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Do you integrate with Zapier?")]
    [InlineData("ok what about zapier?")] // the model reads it as small talk
    [InlineData("what if a lead writes at night?")]
    public async Task A_question_the_knowledge_base_cannot_answer_is_left_to_the_team_and_the_team_is_told(string question)
    {
        var intake = await _bed.Say(question, "wamid.question");

        var turn = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!;

        Assert.Matches("team|colleagues", turn.Reply!.Text);
        var actions = await new SqliteRecommendationStore(_bed.Temp.Db).ListAsync("acme", new RecommendationFilter(LeadId: intake.LeadId), 50, default);
        Assert.Contains(actions, r => r.Kind == RecommendationKinds.ReplyNow && r.Trigger.StartsWith("question:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Hi, I'm looking for a way to answer our WhatsApp leads faster")]
    [InlineData("how are you?")]
    public async Task A_lead_that_asks_nothing_leaves_nothing_to_the_team(string text)
    {
        var intake = await _bed.Say(text, "wamid.statement");

        await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);

        var actions = await new SqliteRecommendationStore(_bed.Temp.Db).ListAsync("acme", new RecommendationFilter(LeadId: intake.LeadId), 50, default);
        Assert.DoesNotContain(actions, r => r.Trigger.StartsWith("question:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sales_question_hands_nothing_to_a_person()
    {
        var intake = await _bed.Say("What does it cost for 5 users?", "wamid.price");

        await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);

        var actions = await new SqliteRecommendationStore(_bed.Temp.Db).ListAsync("acme", new RecommendationFilter(LeadId: intake.LeadId), 50, default);
        Assert.DoesNotContain(actions, r => r.Kind == RecommendationKinds.HandToHuman);
    }

    /// <summary>A support case told a colleague will look into it, then <paramref name="text"/> from the lead.</summary>
    private async Task<Core.Conversations.TurnResult> AfterTheRequestForDetails(string text)
    {
        var intake = await _bed.Say("I'm already a customer and since yesterday our WhatsApp messages don't arrive anymore", "wamid.support");
        await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);
        _bed.Clock.Advance(TimeSpan.FromMinutes(2));
        await _bed.Say(text, "wamid.after");
        return (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!;
    }
}

using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Coaching;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Tests.Coaching;

/// <summary>The rep's scripts: personalised by DISC style, the open BANT criteria and the lead's objections, in its language.</summary>
public sealed class RulesScriptWriterTests
{
    private static LeadProfile Profile(DiscProfile? disc = null, double budget = 0, double authority = 0, double need = 0, double timeline = 0) =>
        LeadProfile.New("demo", "lead-1") with
        {
            Disc = disc ?? DiscProfile.Empty,
            Bant = new BantAssessment(new BantDimension(budget, []), new BantDimension(authority, []), new BantDimension(need, []), new BantDimension(timeline, [])),
        };

    private static readonly DiscProfile Dominant = new(0.8, 0.1, 0.1, 0.2, 3, 0.7);
    private static readonly DiscProfile Steady = new(0.1, 0.1, 0.8, 0.2, 3, 0.7);

    private static SalesScript Write(ScriptGoal goal = ScriptGoal.BookMeeting, ScriptChannel channel = ScriptChannel.Call, string language = "en", LeadProfile? profile = null, params string[] objections) =>
        RulesScriptWriter.Write(new ScriptRequest(goal, channel, language, "Anna", "Acme", ConversationState.ValueProposition, profile, objections));

    private static string Section(SalesScript script, string name) => string.Join(" ", script.Sections.Single(s => s.Name == name).Lines);

    [Fact]
    public void A_call_script_has_opener_discovery_ask_and_close_in_that_order()
    {
        var script = Write(profile: Profile());

        Assert.Equal(["opener", "discovery", "ask", "close"], script.Sections.Select(s => s.Name));
        Assert.Contains("Anna", Section(script, "opener"), StringComparison.Ordinal);
        Assert.Contains("Acme", Section(script, "opener"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_opener_and_pace_follow_the_leads_disc_style()
    {
        var direct = Write(profile: Profile(Dominant));
        var steady = Write(profile: Profile(Steady));

        Assert.Equal("D", direct.Style);
        Assert.Equal("S", steady.Style);
        Assert.Contains("short", Section(direct, "opener"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("step-by-step", Section(steady, "opener"), StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(Section(direct, "ask"), Section(steady, "ask"));
    }

    [Fact]
    public void Discovery_asks_only_for_the_bant_criteria_still_open()
    {
        var script = Write(profile: Profile(budget: 0.8, need: 0.9, authority: 0.1, timeline: 0));

        Assert.Equal(["timeline", "authority"], script.BantGaps);
        var discovery = script.Sections.Single(s => s.Name == "discovery").Lines;
        Assert.Equal(2, discovery.Count);
        Assert.DoesNotContain(discovery, l => l.Contains("budget", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_fully_qualified_lead_gets_no_discovery_section()
    {
        var script = Write(profile: Profile(budget: 1, authority: 1, need: 1, timeline: 1));

        Assert.Empty(script.BantGaps);
        Assert.DoesNotContain(script.Sections, s => s.Name == "discovery");
    }

    [Fact]
    public void Every_objection_raised_gets_its_own_answer_once()
    {
        var script = Write(ScriptGoal.HandleObjection, profile: Profile(), objections: ["price", "timing", "price"]);

        Assert.Equal(["price", "timing"], script.Objections);
        var answers = script.Sections.Single(s => s.Name == "objections").Lines;
        Assert.Equal(2, answers.Count);
        Assert.Contains("price", answers[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("timing", answers[1], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_message_script_is_one_message_that_fits_an_sms()
    {
        var script = Write(ScriptGoal.HandleObjection, ScriptChannel.Sms, profile: Profile(Dominant), objections: ["price"]);

        var message = Assert.Single(script.Sections);
        Assert.Equal("message", message.Name);
        var text = Assert.Single(message.Lines);
        Assert.True(text.Length <= ReplyText.ShortFormLimit, $"{text.Length} characters");
        Assert.Contains("price", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_german_lead_gets_a_german_script()
    {
        var script = Write(ScriptGoal.Qualify, ScriptChannel.Email, "de", Profile());

        Assert.Equal("de", script.Language);
        var text = Assert.Single(script.Sections.Single().Lines);
        Assert.StartsWith("Hallo Anna", text, StringComparison.Ordinal);
        Assert.EndsWith("Viele Grüße", text, StringComparison.Ordinal);
    }
}

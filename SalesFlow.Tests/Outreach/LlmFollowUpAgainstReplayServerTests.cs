using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Outreach;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Infrastructure.OpenAI;
using SalesFlow.Tests.Ai;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Outreach;

/// <summary>
/// Follow-up steps written by the chat model (the real OpenAI adapter against the scripted server), through the
/// compliance filter, with the rules brain's text when the model fails.
/// </summary>
public sealed class LlmFollowUpAgainstReplayServerTests : IAsyncLifetime, IDisposable
{
    private const string Chat = "/chat/completions";
    private readonly EngineTestBed _bed = new();
    private OpenAIReplayServer _server = null!;
    private OpenAIConnection? _connection;

    public async Task InitializeAsync() => _server = await OpenAIReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _connection?.Dispose();
        _bed.Dispose();
    }

    private static ReplayResponse Answer(string content)
    {
        var body = JsonNode.Parse(OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json").Body)!;
        body["choices"]![0]!["message"]!["content"] = content;
        return ReplayResponse.Json(200, body.ToJsonString());
    }

    /// <summary>Anna writes, her turn is answered, and an hour later the first follow-up step runs with the LLM writer.</summary>
    private async Task<(OutboxItem Step, ComplianceAuditEntry Audit)> FirstStepAsync()
    {
        var options = OpenAIChatClientAgainstReplayServerTests.OptionsFor(_server, o => o.MaxRetries = 0);
        _connection = new OpenAIConnection(options);
        var tracker = new AiUsageTracker(new SqliteUsageStore(_bed.Temp.Db), Options.Create(options), TimeProvider.System, NullLogger<AiUsageTracker>.Instance);
        var writer = new LlmOutreachWriter(new OpenAIChatClient(_connection), _bed.Conversations, new RulesOutreachWriter(), tracker, Options.Create(options), NullLogger<LlmOutreachWriter>.Instance);
        var followUps = _bed.FollowUps(writer: writer);

        var intake = await _bed.Say("Hi, I am interested in your heat pumps for our office", "wamid.1");
        var turn = await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default);
        var plan = followUps.PlanAfterTurn(turn!, _bed.Clock.GetUtcNow())!;
        _bed.Clock.Advance(plan.Decision.DueAt!.Value - _bed.Clock.GetUtcNow());
        var result = await followUps.RunStepAsync("acme", intake.LeadId, plan.Progress, _bed.Clock.GetUtcNow(), default);
        Assert.Equal(FollowUpStepOutcome.Written, result.Outcome);
        var step = (await _bed.Outbox.GetAsync("acme", result.OutboxId!, default))!;
        var audit = Assert.Single(await _bed.Audit.ListAsync("acme", intake.LeadId, null, 50, default), a => a.OutboxId == step.Id);
        return (step, audit);
    }

    [Fact]
    public async Task The_model_writes_the_step_for_the_lead_s_stage_language_and_channel_with_the_conversation_as_context()
    {
        const string Written = "Hi Anna, just following up on the heat pumps for your office. Would a short call with our team help you compare the options?";
        _server.Script(Chat, Answer(Written));

        var (step, audit) = await FirstStepAsync();

        Assert.Equal((Written, OutboxPurpose.FollowUp), (step.Text, step.Purpose));
        Assert.Equal(("llm", ComplianceVerdict.Pass), (audit.Source, audit.Verdict));
        var request = _server.Received.Single().Json!;
        Assert.Equal("gpt-4o-mini", request["model"]!.GetValue<string>());
        var task = request["messages"]![1]!["content"]!.GetValue<string>();
        Assert.Contains("Write follow-up 1 of 4", task, StringComparison.Ordinal);
        Assert.Contains("Stage: ", task, StringComparison.Ordinal);
        Assert.Contains("Channel: whatsapp. At most 280 characters", task, StringComparison.Ordinal);
        Assert.Contains("Language: en", task, StringComparison.Ordinal);
        Assert.Contains("Lead: Hi, I am interested in your heat pumps for our office", task, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_the_model_may_not_promise_is_taken_out_by_the_compliance_filter()
    {
        _server.Script(Chat, Answer("Hi Anna, we guarantee you will cut your heating bill in half. Shall I set up a short call with our team?"));

        var (step, audit) = await FirstStepAsync();

        Assert.DoesNotContain("guarantee", step.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("llm", ComplianceVerdict.Rewritten), (audit.Source, audit.Verdict));
        Assert.Contains(ComplianceRules.Guarantee, audit.RuleIds);
    }

    [Fact]
    public async Task When_the_model_fails_the_rules_brain_writes_the_step()
    {
        _server.Script(Chat, OpenAIReplayServer.Error(500));

        var (step, audit) = await FirstStepAsync();

        Assert.Equal(FollowUpTemplates.For(0, "en", "Anna", "Acme"), step.Text);
        Assert.Equal("rules", audit.Source);
    }
}

using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using SalesFlow.Core.FollowUps;

namespace SalesFlow.Functions.Orchestrations;

/// <summary>The lead an orchestration drives, and how far its follow-ups are; <paramref name="RunTurnFirst"/> when a message waits.</summary>
public sealed record LeadConversationInput(string ClientId, string LeadId, FollowUpProgress Progress, bool RunTurnFirst);

/// <summary>A lead wrote (the external event); its content stays in the store, the event only wakes the orchestration.</summary>
public sealed record LeadMessageSignal(string ClientId, string LeadId);

public sealed record LeadRef(string ClientId, string LeadId);

/// <param name="Now">The orchestration's replay-safe time, so the activity decides for the moment the orchestrator is at.</param>
public sealed record FollowUpRequest(string ClientId, string LeadId, FollowUpProgress Progress, DateTimeOffset Now);

/// <summary>The names the orchestration, its activities and its event go by (function names under the host).</summary>
public static class LeadConversationNames
{
    public const string Orchestrator = "LeadConversation";
    public const string RunTurn = "LeadConversation_RunTurn";
    public const string PlanFollowUp = "LeadConversation_PlanFollowUp";
    public const string RunFollowUpStep = "LeadConversation_RunFollowUpStep";
    public const string MessageEvent = "LeadMessage";

    /// <summary>One orchestration per lead: the id is derived from client and lead (ids contain none of / \ # ?).</summary>
    public static string InstanceIdFor(string clientId, string leadId) => $"lead:{clientId}:{leadId}";
}

/// <summary>
/// One lead's conversation as a Durable orchestration (the "human interaction" pattern): it waits for the lead's next
/// message (an external event raised by intake) or the durable timer of the next follow-up, whichever comes first; a
/// message runs the turn, a due follow-up runs the step; opt-out, escalation, a won outcome or the cadence's end finish
/// it. Each round ends in <c>ContinueAsNew</c> (keeping unprocessed events) so the history stays small. Deterministic:
/// time is <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, and whatever needs the stores is an activity
/// that returns a serialisable decision (<see cref="FollowUpPlan"/>) made by the shared <see cref="FollowUpPlanner"/>.
/// </summary>
public static class LeadConversationOrchestration
{
    [Function(LeadConversationNames.Orchestrator)]
    public static Task<string> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunAsync(context, context.GetInput<LeadConversationInput>() ?? throw new InvalidOperationException("LeadConversation needs its input."));

    /// <returns>Why it finished (the planner's reason); a round that continues as new returns nothing that is kept.</returns>
    public static async Task<string> RunAsync(TaskOrchestrationContext context, LeadConversationInput input)
    {
        var lead = new LeadRef(input.ClientId, input.LeadId);
        if (input.RunTurnFirst)
        {
            await context.CallActivityAsync<bool>(LeadConversationNames.RunTurn, lead);
        }

        var plan = await context.CallActivityAsync<FollowUpPlan>(LeadConversationNames.PlanFollowUp, new FollowUpRequest(input.ClientId, input.LeadId, input.Progress, Now(context)));
        context.SetCustomStatus(plan);
        var next = input with { Progress = plan.Progress, RunTurnFirst = false };
        if (plan.Decision.Action == FollowUpAction.Finish)
        {
            return plan.Decision.Reason;
        }

        // Cancel: the lead wrote and their message's event is on its way; wait for it without a timer.
        DateTimeOffset? due = plan.Decision.Action switch
        {
            FollowUpAction.Send => Now(context),
            FollowUpAction.Wait => plan.Decision.DueAt,
            _ => null,
        };

        using var waiting = new CancellationTokenSource();
        var message = context.WaitForExternalEvent<LeadMessageSignal>(LeadConversationNames.MessageEvent, waiting.Token);
        var timer = due is { } at ? context.CreateTimer(at.UtcDateTime, waiting.Token) : null;
        var first = timer is null ? await Task.WhenAny(message) : await Task.WhenAny(message, timer);

        // Every pending durable timer or wait must end before the round can: cancel the loser.
        waiting.Cancel();
        if (first == message)
        {
            context.ContinueAsNew(next with { RunTurnFirst = true }, preserveUnprocessedEvents: true);
            return "message";
        }

        var step = await context.CallActivityAsync<FollowUpStepResult>(LeadConversationNames.RunFollowUpStep, new FollowUpRequest(input.ClientId, input.LeadId, plan.Progress, Now(context)));
        context.ContinueAsNew(next with { Progress = step.Progress }, preserveUnprocessedEvents: true);
        return "step";
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));
}

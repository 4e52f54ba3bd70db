using Microsoft.Azure.Functions.Worker;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.FollowUps;

namespace SalesFlow.Functions.Orchestrations;

/// <summary>
/// The lead orchestration's activities: thin calls into Core, each idempotent (a re-run turn finds its reply by the
/// answered message's key; a re-run step finds its item by the (client, lead, cycle, step) key).
/// </summary>
public sealed class LeadConversationActivities(ConversationEngine engine, FollowUpService followUps)
{
    /// <returns>True when the turn answered something.</returns>
    [Function(LeadConversationNames.RunTurn)]
    public async Task<bool> RunTurnAsync([ActivityTrigger] LeadRef lead, CancellationToken ct) =>
        await engine.ProcessLeadAsync(lead.ClientId, lead.LeadId, ct) is not null;

    [Function(LeadConversationNames.PlanFollowUp)]
    public Task<FollowUpPlan> PlanFollowUpAsync([ActivityTrigger] FollowUpRequest request, CancellationToken ct) =>
        followUps.PlanAsync(request.ClientId, request.LeadId, request.Progress, request.Now, ct);

    [Function(LeadConversationNames.RunFollowUpStep)]
    public Task<FollowUpStepResult> RunFollowUpStepAsync([ActivityTrigger] FollowUpRequest request, CancellationToken ct) =>
        followUps.RunStepAsync(request.ClientId, request.LeadId, request.Progress, request.Now, ct);
}

using Microsoft.DurableTask.Testing;
using SalesFlow.Core.FollowUps;
using SalesFlow.Functions.Orchestrations;
using Names = SalesFlow.Functions.Orchestrations.LeadConversationNames;

namespace SalesFlow.Tests.Support;

/// <summary>
/// Durable Task's in-process test host with the lead orchestration and its activities registered under their function
/// names, as the Functions host runs them (the isolated worker registers [Function] methods; the test host needs them
/// registered by hand).
/// </summary>
public static class LeadConversationTestHost
{
    /// <param name="activities">Resolved when an activity runs, so an app's container can be built after the host.</param>
    public static Task<DurableTaskTestHost> StartAsync(Func<LeadConversationActivities> activities) =>
        DurableTaskTestHost.StartAsync(tasks =>
        {
            tasks.AddOrchestratorFunc<LeadConversationInput, string>(Names.Orchestrator, async (context, input) => await LeadConversationOrchestration.RunAsync(context, input!));
            tasks.AddActivityFunc<LeadRef, bool>(Names.RunTurn, async (_, lead) => await activities().RunTurnAsync(lead!, CancellationToken.None));
            tasks.AddActivityFunc<FollowUpRequest, FollowUpPlan>(Names.PlanFollowUp, async (_, request) => await activities().PlanFollowUpAsync(request!, CancellationToken.None));
            tasks.AddActivityFunc<FollowUpRequest, FollowUpStepResult>(Names.RunFollowUpStep, async (_, request) => await activities().RunFollowUpStepAsync(request!, CancellationToken.None));
        });
}

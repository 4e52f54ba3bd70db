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
    public static async Task<DurableTaskTestHost> StartAsync(Func<LeadConversationActivities> activities)
    {
        // The test host picks a random port in 30000-40000 without checking it is free, which collides with the ephemeral
        // ports of the other in-test servers now and then: take a port the OS just handed out, and try again if it was taken.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnAsync(activities, FreePort());
            }
            catch (IOException e) when (attempt < 5 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<DurableTaskTestHost> StartOnAsync(Func<LeadConversationActivities> activities, int port) =>
        DurableTaskTestHost.StartAsync(tasks =>
        {
            tasks.AddOrchestratorFunc<LeadConversationInput, string>(Names.Orchestrator, async (context, input) => await LeadConversationOrchestration.RunAsync(context, input!));
            tasks.AddActivityFunc<LeadRef, bool>(Names.RunTurn, async (_, lead) => await activities().RunTurnAsync(lead!, CancellationToken.None));
            tasks.AddActivityFunc<FollowUpRequest, FollowUpPlan>(Names.PlanFollowUp, async (_, request) => await activities().PlanFollowUpAsync(request!, CancellationToken.None));
            tasks.AddActivityFunc<FollowUpRequest, FollowUpStepResult>(Names.RunFollowUpStep, async (_, request) => await activities().RunFollowUpStepAsync(request!, CancellationToken.None));
        }, new DurableTaskTestHostOptions { Port = port });
}

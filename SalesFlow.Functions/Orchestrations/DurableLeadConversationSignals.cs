using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.FollowUps;

namespace SalesFlow.Functions.Orchestrations;

/// <summary>
/// The Durable Task client of the current function invocation. The isolated worker hands it out only as a
/// <c>[DurableClient]</c> binding (there is no DI factory: Azure/azure-functions-durable-extension#2698), so a function
/// class that binds one sets it here for the invocation (an async-local: concurrent invocations do not mix).
/// </summary>
public sealed class DurableClientAccessor
{
    private static readonly AsyncLocal<DurableTaskClient?> Current = new();

    public DurableTaskClient Client => Current.Value ?? throw new InvalidOperationException("No Durable client in this invocation: bind [DurableClient] DurableTaskClient and call Use(client) first.");

    public void Use(DurableTaskClient client) => Current.Value = client;
}

/// <summary>
/// Under the Functions host: a lead's message wakes (or starts) the lead's orchestration instead of queueing a turn.
/// Starting is "schedule if not running"; the orchestration itself is idempotent, so a duplicate signal changes nothing.
/// </summary>
public sealed class DurableLeadConversationSignals(DurableClientAccessor durable) : ILeadConversationSignals
{
    public Task MessageArrivedAsync(string clientId, string leadId, TimeSpan burstWindow, bool leadIsNew, CancellationToken ct) => SignalAsync(clientId, leadId, ct);

    /// <summary>A turn ran elsewhere (the inbound sweep): the orchestration re-plans (its turn activity then finds nothing to do).</summary>
    public Task TurnCompletedAsync(string clientId, string leadId, TurnResult? turn, CancellationToken ct) => SignalAsync(clientId, leadId, ct);

    private async Task SignalAsync(string clientId, string leadId, CancellationToken ct)
    {
        var client = durable.Client;
        var instanceId = LeadConversationNames.InstanceIdFor(clientId, leadId);
        var instance = await client.GetInstanceAsync(instanceId, ct);
        if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended })
        {
            await client.RaiseEventAsync(instanceId, LeadConversationNames.MessageEvent, new LeadMessageSignal(clientId, leadId), ct);
            return;
        }

        // None yet, or the last one finished (cadence done, opted out …): a new one starts with the turn.
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                LeadConversationNames.Orchestrator,
                new LeadConversationInput(clientId, leadId, FollowUpProgress.None, RunTurnFirst: true),
                new StartOrchestrationOptions(instanceId),
                ct);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // A concurrent message started it first: wake that one instead.
            await client.RaiseEventAsync(instanceId, LeadConversationNames.MessageEvent, new LeadMessageSignal(clientId, leadId), ct);
        }
    }
}

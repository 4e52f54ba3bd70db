using SalesFlow.Core.Conversations;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.FollowUps;

/// <summary>
/// The standalone drive of a lead's conversation: a message cancels the waiting follow-up and queues the turn
/// (process-inbound, coalesced per lead); a finished turn plans the next follow-up in the store.
/// </summary>
public sealed class StoreTimerConversationSignals(IWorkQueue queue, StoreFollowUpDriver followUps) : ILeadConversationSignals
{
    public async Task MessageArrivedAsync(string clientId, string leadId, TimeSpan burstWindow, bool leadIsNew, CancellationToken ct)
    {
        // A lead created by this message has had no turn, so no timer: the cancel would be a write (a billed delete) of nothing.
        if (!leadIsNew)
        {
            await followUps.CancelAsync(clientId, leadId, ct);
        }

        await queue.EnqueueAsync(
            Queues.ProcessInbound,
            ProcessInboundWork.Serialize(new ProcessInboundWork(clientId, leadId)),
            burstWindow,
            coalesceKey: ProcessInboundWork.CoalesceKey(clientId, leadId),
            ct);
    }

    public Task TurnCompletedAsync(string clientId, string leadId, TurnResult? turn, CancellationToken ct) => followUps.PlanAsync(clientId, leadId, turn, ct);
}

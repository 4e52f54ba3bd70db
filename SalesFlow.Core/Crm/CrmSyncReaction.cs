using SalesFlow.Core.Clients;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Crm;

/// <summary>
/// Queues a CRM sync of the lead when it turns hot, changes state, or a meeting is booked or cancelled, for clients with
/// a complete <c>hubspot</c> config only (the others have no CRM to sync). Local and idempotent: one coalesced queue
/// write per lead, so the same event twice is one sync of the latest state.
/// </summary>
public sealed class CrmSyncReaction(IClientStore clients, IWorkQueue queue) : IIntegrationEventReaction
{
    public async Task ReactAsync(IntegrationEvent integrationEvent, CancellationToken ct)
    {
        if (integrationEvent is not (LeadBecameHot or LeadStateChanged or MeetingBooked or MeetingCancelled))
        {
            return;
        }

        // Inside a turn, the client it has just read (TurnClient); elsewhere (meetings, timers) from the store.
        var client = Conversations.TurnClient.For(integrationEvent.ClientId) ?? await clients.GetAsync(integrationEvent.ClientId, ct);
        if (client?.Config?.HubSpot is not { IsComplete: true })
        {
            return;
        }

        var work = new SyncCrmWork(integrationEvent.ClientId, integrationEvent.LeadId);
        await queue.EnqueueAsync(Queues.SyncCrm, SyncCrmWork.Serialize(work), TimeSpan.Zero, SyncCrmWork.CoalesceKey(work.ClientId, work.LeadId), ct);
    }
}

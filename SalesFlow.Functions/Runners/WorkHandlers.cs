using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Queue;

namespace SalesFlow.Functions.Runners;

/// <summary>process-inbound: answer whatever a lead has sent.</summary>
public sealed class ProcessInboundHandler(ConversationEngine engine, ILeadConversationSignals signals) : IWorkHandler
{
    public string Queue => Queues.ProcessInbound;

    public async Task HandleAsync(WorkItem item, CancellationToken ct)
    {
        var work = ProcessInboundWork.Parse(item.Payload);
        var turn = await engine.ProcessLeadAsync(work.ClientId, work.LeadId, ct);

        // Also when the turn found nothing to do: a re-run after a crash between the turn and this plan must still plan
        // (the job is completed only after this returns). Planning again is harmless. The turn's own facts spare the plan its reads.
        await signals.TurnCompletedAsync(work.ClientId, work.LeadId, turn, ct);
    }
}

/// <summary>deliver: send one outbox item through its channel.</summary>
public sealed class DeliverHandler(DeliveryService delivery) : IWorkHandler
{
    public string Queue => Queues.Deliver;

    public Task HandleAsync(WorkItem item, CancellationToken ct)
    {
        var work = DeliverWork.Parse(item.Payload);
        return delivery.DeliverAsync(work.ClientId, work.OutboxId, ct);
    }
}

/// <summary>ingest-knowledge: chunk, embed and index a large document (status pending → ingesting → ready).</summary>
public sealed class IngestKnowledgeHandler(SalesFlow.Core.Knowledge.KnowledgeService knowledge) : IWorkHandler
{
    public string Queue => Queues.IngestKnowledge;

    public Task HandleAsync(WorkItem item, CancellationToken ct) => knowledge.IngestQueuedAsync(IngestKnowledgeWork.Parse(item.Payload), ct);
}

/// <summary>sync-crm: brings the lead's HubSpot contact, deal and notes up to date; a transient failure is recorded and queued again with a delay, not thrown.</summary>
public sealed class SyncCrmHandler(SalesFlow.Core.Crm.CrmSyncService sync) : IWorkHandler
{
    public string Queue => Queues.SyncCrm;

    public Task HandleAsync(WorkItem item, CancellationToken ct) => sync.RunQueuedAsync(SyncCrmWork.Parse(item.Payload), ct);
}

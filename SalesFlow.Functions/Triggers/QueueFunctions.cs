using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Orchestrations;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Functions.Triggers;

/// <summary>
/// The Storage queue triggers. host.json's <c>messageEncoding: base64</c> matches how the app enqueues (base64 UTF-8), so
/// <paramref name="message"/> is the JSON the app wrote. <c>id</c> and <c>dequeueCount</c> bind from the trigger's
/// metadata by name. A throw makes the host retry the message and, after maxDequeueCount, move it to "&lt;queue&gt;-poison".
/// Standalone, the QueueRunner drains the same queues into the same handlers.
/// </summary>
public sealed class QueueFunctions(WorkDispatcher work, DurableClientAccessor durableClients)
{
    [Function(Queues.ProcessInbound)]
    public Task ProcessInbound(
        [QueueTrigger(Queues.ProcessInbound, Connection = QueueFunction.StorageConnection)] string message,
        string id,
        long dequeueCount,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        // The turn tells the lead's orchestration it ran (it re-plans the follow-up): that takes the Durable client.
        durableClients.Use(durable);
        return work.RunAsync(new WorkItem(id, Queues.ProcessInbound, message, (int)dequeueCount), ct);
    }

    [Function(Queues.Deliver)]
    public Task Deliver([QueueTrigger(Queues.Deliver, Connection = QueueFunction.StorageConnection)] string message, string id, long dequeueCount, CancellationToken ct) =>
        work.RunAsync(new WorkItem(id, Queues.Deliver, message, (int)dequeueCount), ct);

    [Function(Queues.IngestKnowledge)]
    public Task IngestKnowledge([QueueTrigger(Queues.IngestKnowledge, Connection = QueueFunction.StorageConnection)] string message, string id, long dequeueCount, CancellationToken ct) =>
        work.RunAsync(new WorkItem(id, Queues.IngestKnowledge, message, (int)dequeueCount), ct);

    [Function(Queues.SyncCrm)]
    public Task SyncCrm([QueueTrigger(Queues.SyncCrm, Connection = QueueFunction.StorageConnection)] string message, string id, long dequeueCount, CancellationToken ct) =>
        work.RunAsync(new WorkItem(id, Queues.SyncCrm, message, (int)dequeueCount), ct);
}

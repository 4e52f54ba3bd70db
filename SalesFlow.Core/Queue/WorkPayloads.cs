using System.Text.Json;

namespace SalesFlow.Core.Queue;

/// <summary>Payload of <see cref="Queues.ProcessInbound"/>: answer whatever the lead has sent.</summary>
public sealed record ProcessInboundWork(string ClientId, string LeadId)
{
    public static string Serialize(ProcessInboundWork work) => JsonSerializer.Serialize(work, WorkJson.Options);

    /// <summary>One queued turn per lead: work not yet started under this key is merged (where the queue can).</summary>
    public static string CoalesceKey(string clientId, string leadId) => $"{clientId}/{leadId}";

    public static ProcessInboundWork Parse(string payload) =>
        JsonSerializer.Deserialize<ProcessInboundWork>(payload, WorkJson.Options) is { ClientId.Length: > 0, LeadId.Length: > 0 } work
            ? work
            : throw new FormatException("process-inbound payload needs clientId and leadId.");
}

/// <summary>Payload of <see cref="Queues.Deliver"/>: send one outbox item.</summary>
public sealed record DeliverWork(string ClientId, string OutboxId)
{
    public static string Serialize(DeliverWork work) => JsonSerializer.Serialize(work, WorkJson.Options);

    /// <summary>One delivery per outbox item waits in the queue at a time.</summary>
    public static string CoalesceKey(string outboxId) => $"deliver/{outboxId}";

    public static DeliverWork Parse(string payload) =>
        JsonSerializer.Deserialize<DeliverWork>(payload, WorkJson.Options) is { ClientId.Length: > 0, OutboxId.Length: > 0 } work
            ? work
            : throw new FormatException("deliver payload needs clientId and outboxId.");
}

internal static class WorkJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

/// <summary>Payload of <see cref="Queues.IngestKnowledge"/>: chunk, embed and index one knowledge source.</summary>
public sealed record IngestKnowledgeWork(string ClientId, string KnowledgeBaseId, string SourceId)
{
    public static string Serialize(IngestKnowledgeWork work) => JsonSerializer.Serialize(work, WorkJson.Options);

    public static IngestKnowledgeWork Parse(string payload) =>
        JsonSerializer.Deserialize<IngestKnowledgeWork>(payload, WorkJson.Options) is { ClientId.Length: > 0, KnowledgeBaseId.Length: > 0, SourceId.Length: > 0 } work
            ? work
            : throw new FormatException("ingest-knowledge payload needs clientId, knowledgeBaseId and sourceId.");
}

/// <summary>Payload of <see cref="Queues.SyncCrm"/>: bring the lead's CRM contact, deal and notes up to date.</summary>
public sealed record SyncCrmWork(string ClientId, string LeadId)
{
    public static string Serialize(SyncCrmWork work) => JsonSerializer.Serialize(work, WorkJson.Options);

    /// <summary>One queued sync per lead: a burst of events (hot, state change, meeting) is one sync of the latest state.</summary>
    public static string CoalesceKey(string clientId, string leadId) => $"crm/{clientId}/{leadId}";

    public static SyncCrmWork Parse(string payload) =>
        JsonSerializer.Deserialize<SyncCrmWork>(payload, WorkJson.Options) is { ClientId.Length: > 0, LeadId.Length: > 0 } work
            ? work
            : throw new FormatException("sync-crm payload needs clientId and leadId.");
}

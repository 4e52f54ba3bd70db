namespace SalesFlow.Functions.Apis;

/// <summary>GET /api/admin/queues/{queue}/poison: the oldest parked items and how many are parked (approximate on Storage queues).</summary>
public sealed record PoisonQueueDto(string Queue, int Parked, IReadOnlyList<PoisonItemDto> Items);

/// <summary>A parked work item: its payload as queued, how often it was tried and the last error.</summary>
public sealed record PoisonItemDto(string Id, string Payload, int DequeueCount, string? LastError);

/// <summary>POST /api/admin/queues/{queue}/poison/replay: how many items went back to their queue.</summary>
public sealed record PoisonReplayDto(string Queue, int Replayed);

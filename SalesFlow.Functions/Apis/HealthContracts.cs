using System.Text.Json.Serialization;

namespace SalesFlow.Functions.Apis;

/// <summary>GET /health: always healthy while the process answers; the queues when they could be read.</summary>
/// <param name="Queues">Each work queue by name; null when the queues could not be read (then <see cref="QueuesError"/> says so).</param>
public sealed record HealthDto(
    string Status,
    IReadOnlyDictionary<string, QueueHealthDto>? Queues,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? QueuesError = null);

/// <param name="OldestAgeSeconds">Age of the oldest item; null when the queue is empty.</param>
public sealed record QueueHealthDto(int Length, double? OldestAgeSeconds);

/// <summary>GET /ready: 200 when ready, 503 (same shape) while starting or unavailable, with the reasons.</summary>
/// <param name="Status">ready, starting or unavailable.</param>
/// <param name="Error">Only when the store or queue could not be reached (then mode, store and queue are left out).</param>
public sealed record ReadyDto(
    string Status,
    IReadOnlyList<string> Reasons,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Mode = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Store = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? QueueAdapter = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ReadyQueueDto? Queue = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <param name="ProcessInbound">Items waiting in process-inbound.</param>
/// <param name="Poison">Items in all poison queues together.</param>
public sealed record ReadyQueueDto(int ProcessInbound, int Poison);

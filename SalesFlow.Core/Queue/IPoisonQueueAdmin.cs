namespace SalesFlow.Core.Queue;

/// <summary>
/// A work item parked in a poison queue after too many failed tries.
/// </summary>
/// <param name="Id">The item's id in its store (a Storage message id, a jobs row id).</param>
/// <param name="Queue">The work queue it failed in (the one a replay returns it to), not the poison queue's name.</param>
/// <param name="DequeueCount">How often the item has been taken. The embedded queue keeps the count of the failed tries; a Storage poison message starts again from 0.</param>
/// <param name="LastError">The last failure, where the store keeps it (the embedded queue does; Storage queues do not).</param>
public sealed record PoisonMessage(string Id, string Queue, string Payload, int DequeueCount, string? LastError);

/// <summary>What an operator needs to look at and replay work parked in "&lt;queue&gt;-poison".</summary>
public interface IPoisonQueueAdmin
{
    /// <summary>Up to <paramref name="max"/> items parked in the poison queue of <paramref name="queue"/>, oldest first; nothing is changed.</summary>
    Task<IReadOnlyList<PoisonMessage>> ListAsync(string queue, int max, CancellationToken ct);

    /// <summary>Moves every item of the poison queue of <paramref name="queue"/> back to <paramref name="queue"/>, due now, with its tries reset; returns how many moved.</summary>
    Task<int> ReplayAsync(string queue, CancellationToken ct);

    /// <summary>Up to <paramref name="max"/> parked items of <paramref name="queue"/> whose payload names <paramref name="clientId"/>, oldest first.</summary>
    Task<IReadOnlyList<PoisonMessage>> ListForClientAsync(string queue, string clientId, int max, CancellationToken ct);

    /// <summary>Moves the one parked item <paramref name="id"/> back to <paramref name="queue"/> if its payload names <paramref name="clientId"/>; false when there is no such item of that client.</summary>
    Task<bool> ReplayForClientAsync(string queue, string clientId, string id, CancellationToken ct);
}

/// <summary>Every work payload carries the client it belongs to: what scopes a client's view of the poison queues.</summary>
public static class WorkPayloadClient
{
    /// <summary>The payload's <c>clientId</c>; null for a payload that is not a JSON object with one.</summary>
    public static string? Of(string payload)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(payload);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && doc.RootElement.TryGetProperty("clientId", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

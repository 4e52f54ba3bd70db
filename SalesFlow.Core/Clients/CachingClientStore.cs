using System.Collections.Concurrent;

namespace SalesFlow.Core.Clients;

/// <summary>
/// The client store with a short-lived read for the webhooks (<see cref="GetRecentAsync"/>): each webhook otherwise
/// reads the client and decrypts every secret it has. A change made through this store (config, key rotation) drops the
/// kept read at once, so a rotated secret counts on the very next webhook; a change made by another instance counts
/// within <see cref="Lifetime"/>. Every other read (<see cref="GetAsync"/>) goes to the store as before: read-modify-write
/// callers need the current ETag. Unknown ids are never kept (a flood of made-up ids must not grow the cache).
/// </summary>
public sealed class CachingClientStore(IClientStore inner, TimeProvider clock) : IClientStore
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (Client Client, DateTimeOffset ReadAt)> _recent = new(StringComparer.Ordinal);
    private long _changes;

    /// <summary>The client as read at most <see cref="Lifetime"/> ago and not changed through this store since.</summary>
    public async Task<Client?> GetRecentAsync(string clientId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_recent.TryGetValue(clientId, out var kept) && now - kept.ReadAt < Lifetime)
        {
            return kept.Client;
        }

        var changes = Interlocked.Read(ref _changes);
        var client = await inner.GetAsync(clientId, ct);
        // A change landed while this read ran: it may be the older version, so it is not kept.
        if (client is not null && changes == Interlocked.Read(ref _changes))
        {
            _recent[clientId] = (client, now);
        }

        return client;
    }

    public Task<Client?> GetAsync(string clientId, CancellationToken ct) => inner.GetAsync(clientId, ct);

    public Task<Client?> FindByApiKeyHashAsync(string apiKeyHash, CancellationToken ct) => inner.FindByApiKeyHashAsync(apiKeyHash, ct);

    public async Task<bool> TryCreateAsync(Client client, CancellationToken ct)
    {
        var created = await inner.TryCreateAsync(client, ct);
        Forget(client.Id);
        return created;
    }

    public async Task<Client> ReplaceAsync(Client client, CancellationToken ct)
    {
        try
        {
            return await inner.ReplaceAsync(client, ct);
        }
        finally
        {
            // Also after a failure: the outcome of a write that threw (a timeout) is unknown.
            Forget(client.Id);
        }
    }

    private void Forget(string clientId)
    {
        Interlocked.Increment(ref _changes);
        _recent.TryRemove(clientId, out _);
    }
}

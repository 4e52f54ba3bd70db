namespace SalesFlow.Core.Clients;

/// <summary>
/// Encrypts every client secret before it reaches the store adapter and decrypts it on the way
/// back, so neither the SQLite row nor the Cosmos document holds one in plain text.
/// One decorator instead of the same code in each adapter.
/// </summary>
public sealed class ProtectedClientStore(IClientStore inner, ISecretProtector protector) : IClientStore
{
    public async Task<Client?> GetAsync(string clientId, CancellationToken ct) =>
        await inner.GetAsync(clientId, ct) is { } client ? protector.Unprotect(client) : null;

    public async Task<Client?> FindByApiKeyHashAsync(string apiKeyHash, CancellationToken ct) =>
        await inner.FindByApiKeyHashAsync(apiKeyHash, ct) is { } client ? protector.Unprotect(client) : null;

    public Task<bool> TryCreateAsync(Client client, CancellationToken ct) => inner.TryCreateAsync(protector.Protect(client), ct);

    public async Task<Client> ReplaceAsync(Client client, CancellationToken ct) =>
        protector.Unprotect(await inner.ReplaceAsync(protector.Protect(client), ct));
}

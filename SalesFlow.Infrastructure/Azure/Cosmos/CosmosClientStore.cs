using System.Text.Json.Nodes;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Tenants in the <c>clients</c> container (pk <c>/id</c>): the client document (id = client id)
/// and an API-key index document <c>apikey:{hash}</c> → client id, each its own partition, so
/// both lookups are point reads and the key hash is unique (a create is the claim).
/// </summary>
public sealed class CosmosClientStore(CosmosContainers containers) : IClientStore
{
    private const string ClientType = "client";
    private const string ApiKeyType = "apikey";

    public async Task<Client?> GetAsync(string clientId, CancellationToken ct)
    {
        var doc = await containers.Clients.ReadOrNullAsync(clientId, clientId, ct);
        return doc is not null && doc.String("type") == ClientType ? CosmosDocuments.FromDocument<Client>(doc) : null;
    }

    public async Task<Client?> FindByApiKeyHashAsync(string apiKeyHash, CancellationToken ct)
    {
        var id = ApiKeyId(apiKeyHash);
        var index = await containers.Clients.ReadOrNullAsync(id, id, ct);
        if (index?.String("clientId") is not { } clientId)
        {
            return null;
        }

        // The index outlives a rotation: the client itself says whether the hash is (still) one of its keys;
        // whether a previous key is within its grace period is the caller's check (Client.AcceptsApiKeyHash).
        var client = await GetAsync(clientId, ct);
        return client is not null && (client.ApiKeyHash == apiKeyHash || client.PreviousApiKeyHash == apiKeyHash) ? client : null;
    }

    public async Task<Client> ReplaceAsync(Client client, CancellationToken ct)
    {
        var stored = await containers.Clients.ReadOrNullAsync(client.Id, client.Id, ct);
        if (stored is null || CosmosDocuments.ETagOf(stored) != client.ETag)
        {
            throw new ConcurrencyException($"Client {client.Id} changed meanwhile.");
        }

        if (stored.String("apiKeyHash") != client.ApiKeyHash && !await ClaimKeyAsync(client))
        {
            throw new ConcurrencyException($"API key hash of client {client.Id} is taken.");
        }

        var doc = CosmosDocuments.ToDocument(client, ClientType, client.Id);
        doc["clientId"] = client.Id;
        var written = await containers.Clients.ReplaceGuardedAsync(doc, client.Id, client.ETag!, $"Client {client.Id}", ct);
        return client with { ETag = CosmosDocuments.ETagOf(written) };
    }

    private async Task<bool> ClaimKeyAsync(Client client)
    {
        var indexId = ApiKeyId(client.ApiKeyHash);
        var index = new JsonObject { ["id"] = indexId, ["type"] = ApiKeyType, ["clientId"] = client.Id, ["apiKeyHash"] = client.ApiKeyHash };
        return await containers.Clients.TryCreateAsync(index, indexId, CancellationToken.None)
            || (await containers.Clients.ReadOrNullAsync(indexId, indexId, CancellationToken.None))?.String("clientId") == client.Id;
    }

    public async Task<bool> TryCreateAsync(Client client, CancellationToken ct)
    {
        // Claim the key hash first: a crash after it leaves an index pointing at a missing client
        // (harmless, and a retry of the same client completes it); never a client without its index.
        var indexId = ApiKeyId(client.ApiKeyHash);
        var index = new JsonObject { ["id"] = indexId, ["type"] = ApiKeyType, ["clientId"] = client.Id, ["apiKeyHash"] = client.ApiKeyHash };
        var claimed = await containers.Clients.TryCreateAsync(index, indexId, ct);
        if (!claimed)
        {
            var owner = await containers.Clients.ReadOrNullAsync(indexId, indexId, ct);
            if (owner?.String("clientId") != client.Id)
            {
                return false;
            }
        }

        var doc = CosmosDocuments.ToDocument(client, ClientType, client.Id);
        doc["clientId"] = client.Id;
        if (await containers.Clients.TryCreateAsync(doc, client.Id, ct))
        {
            return true;
        }

        if (claimed)
        {
            // The id was taken: give the key hash back.
            await containers.Clients.TryDeleteAsync(indexId, indexId, ct);
        }

        return false;
    }

    private static string ApiKeyId(string apiKeyHash) => CosmosDocuments.KeyId(ApiKeyType, apiKeyHash);
}

using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Adapters.Azure.Cosmos;

/// <summary>
/// Leads and their channel identities in the <c>leads</c> container (pk <c>/clientId</c>).
/// The lead document's id is the lead id; an identity is the document
/// <c>identity:{kind}:{hash(value)}</c> in the same partition, whose creation is the atomic claim
/// that makes get-or-create safe under concurrency (Cosmos ids are unique per partition).
/// </summary>
public sealed class CosmosLeadStore(CosmosContainers containers) : ILeadStore
{
    internal const string LeadType = "lead";
    internal const string IdentityType = "identity";

    // How long a caller that lost the identity race waits for the winner's lead document before
    // treating the identity as orphaned (the winner crashed between its two writes).
    private static readonly TimeSpan[] OwnerWaits = [.. Enumerable.Repeat(TimeSpan.FromMilliseconds(25), 4), .. Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 10)];

    private Container Leads => containers.Leads;

    public async Task<Lead?> GetAsync(string clientId, string leadId, CancellationToken ct)
    {
        var doc = await Leads.ReadOrNullAsync(leadId, clientId, ct);
        return doc is not null && doc.String("type") == LeadType ? CosmosDocuments.FromDocument<Lead>(doc) : null;
    }

    public async Task<(Lead Lead, bool Created)> GetOrCreateByIdentityAsync(string clientId, IdentityKind kind, string value, Func<Lead> newLead, CancellationToken ct)
    {
        var identityId = IdentityId(kind, value);
        var owner = (await Leads.ReadOrNullAsync(identityId, clientId, ct))?.String("leadId");
        if (owner is not null && await GetAsync(clientId, owner, ct) is { } existing)
        {
            return (existing, false);
        }

        var lead = newLead() with { ClientId = clientId };
        if (owner is null)
        {
            if (await Leads.TryCreateAsync(IdentityDocument(clientId, kind, value, lead.Id, lead.CreatedAt), clientId, ct))
            {
                return (await CreateLeadAsync(lead, ct), true);
            }

            owner = (await Leads.ReadOrNullAsync(identityId, clientId, ct))?.String("leadId")
                ?? throw new ConcurrencyException($"Identity {kind} of client {clientId} vanished meanwhile.");
        }

        // Another caller owns the identity: its lead document follows its identity document.
        foreach (var wait in OwnerWaits)
        {
            if (await GetAsync(clientId, owner, ct) is { } winner)
            {
                return (winner, false);
            }

            await Task.Delay(wait, ct);
        }

        // The identity outlived its lead (an interrupted write): recreate the lead under its id.
        return await TryCreateLeadAsync(lead with { Id = owner }, ct) is { } recreated
            ? (recreated, true)
            : ((await GetAsync(clientId, owner, ct))!, false);
    }

    public async Task<string> LinkIdentityAsync(string clientId, IdentityKind kind, string value, string leadId, CancellationToken ct)
    {
        if (await Leads.TryCreateAsync(IdentityDocument(clientId, kind, value, leadId, DateTimeOffset.UtcNow), clientId, ct))
        {
            return leadId;
        }

        return (await Leads.ReadOrNullAsync(IdentityId(kind, value), clientId, ct))?.String("leadId")
            ?? throw new ConcurrencyException($"Identity {kind} of client {clientId} vanished meanwhile.");
    }

    public async Task<IReadOnlyList<ChannelIdentity>> ListIdentitiesAsync(string clientId, string leadId, CancellationToken ct)
    {
        var query = new QueryDefinition(
                "SELECT * FROM c WHERE c.clientId = @clientId AND c.type = 'identity' AND c.leadId = @leadId ORDER BY c.createdAtMs")
            .WithParameter("@clientId", clientId)
            .WithParameter("@leadId", leadId);
        var docs = await Leads.QueryAsync(query, clientId, ct);
        return docs.Select(d => new ChannelIdentity(
                d.String("clientId")!,
                Enum.Parse<IdentityKind>(d.String("kind")!),
                d.String("value")!,
                d.String("leadId")!,
                DateTimeOffset.FromUnixTimeMilliseconds(d["createdAtMs"]!.GetValue<long>())))
            .ToList();
    }

    public async Task<Lead> ReplaceAsync(Lead lead, CancellationToken ct)
    {
        var doc = await Leads.ReplaceGuardedAsync(CosmosDocuments.ToDocument(lead, LeadType, lead.Id), lead.ClientId, lead.ETag, $"Lead {lead.Id}", ct);
        return lead with { ETag = CosmosDocuments.ETagOf(doc) };
    }

    internal static string IdentityId(IdentityKind kind, string value) => CosmosDocuments.KeyId($"identity:{kind.ToString().ToLowerInvariant()}", value);

    private static JsonObject IdentityDocument(string clientId, IdentityKind kind, string value, string leadId, DateTimeOffset createdAt) => new()
    {
        ["id"] = IdentityId(kind, value),
        ["type"] = IdentityType,
        ["clientId"] = clientId,
        ["kind"] = kind.ToString(),
        ["value"] = value,
        ["leadId"] = leadId,
        ["createdAtMs"] = createdAt.Ms(),
    };

    private async Task<Lead> CreateLeadAsync(Lead lead, CancellationToken ct) =>
        await TryCreateLeadAsync(lead, ct) ?? (await GetAsync(lead.ClientId, lead.Id, ct))!;

    private async Task<Lead?> TryCreateLeadAsync(Lead lead, CancellationToken ct)
    {
        try
        {
            var response = await Leads.CreateItemAsync(CosmosDocuments.ToDocument(lead, LeadType, lead.Id), new PartitionKey(lead.ClientId), cancellationToken: ct);
            return lead with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            return null;
        }
    }
}

using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

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
    internal const string EmailClaimType = "emailClaim";
    internal const string MergeType = "leadMerge";

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

    public async Task<string?> FindIdentityOwnerAsync(string clientId, IdentityKind kind, string value, CancellationToken ct) =>
        (await Leads.ReadOrNullAsync(IdentityId(kind, value), clientId, ct))?.String("leadId");

    public async Task<EmailClaim?> GetEmailClaimAsync(string clientId, string leadId, string address, CancellationToken ct)
    {
        var doc = await Leads.ReadOrNullAsync(ClaimId(leadId, address), clientId, ct);
        return doc is not null && doc.String("type") == EmailClaimType ? CosmosDocuments.FromDocument<EmailClaim>(doc, "claimId") : null;
    }

    public async Task<IReadOnlyList<EmailClaim>> ListEmailClaimsAsync(string clientId, string leadId, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.clientId = @clientId AND c.type = @type AND c.leadId = @leadId")
            .WithParameter("@clientId", clientId)
            .WithParameter("@type", EmailClaimType)
            .WithParameter("@leadId", leadId);
        return (await Leads.QueryAsync(query, clientId, ct)).Select(d => CosmosDocuments.FromDocument<EmailClaim>(d, "claimId")).OrderBy(c => c.CreatedAt).ThenBy(c => c.Address, StringComparer.Ordinal).ToList();
    }

    public async Task<EmailClaim?> FindEmailClaimByTokenAsync(string clientId, string token, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.clientId = @clientId AND c.type = @type AND c.token = @token")
            .WithParameter("@clientId", clientId)
            .WithParameter("@type", EmailClaimType)
            .WithParameter("@token", token);
        return (await Leads.QueryAsync(query, clientId, ct)).Select(d => CosmosDocuments.FromDocument<EmailClaim>(d, "claimId")).FirstOrDefault();
    }

    public async Task<EmailClaim> SaveEmailClaimAsync(EmailClaim claim, CancellationToken ct)
    {
        var doc = CosmosDocuments.ToDocument(claim, EmailClaimType, ClaimId(claim.LeadId, claim.Address));
        doc["claimId"] = claim.Id;
        if (claim.ETag.Length > 0)
        {
            var replaced = await Leads.ReplaceGuardedAsync(doc, claim.ClientId, claim.ETag, $"E-mail claim of lead {claim.LeadId}", ct);
            return claim with { ETag = CosmosDocuments.ETagOf(replaced) };
        }

        try
        {
            var response = await Leads.CreateItemAsync(doc, new PartitionKey(claim.ClientId), cancellationToken: ct);
            return claim with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            throw new ConcurrencyException($"E-mail claim of lead {claim.LeadId} changed meanwhile.");
        }
    }

    public async Task<LeadMerge> MergeAsync(string clientId, string intoLeadId, string otherLeadId, string mergedBy, DateTimeOffset at, CancellationToken ct)
    {
        // The record first: a repeated call finds it and finishes moving what an interrupted one left behind.
        await Leads.TryCreateAsync(
            new JsonObject
            {
                ["id"] = MergeId(otherLeadId),
                ["type"] = MergeType,
                ["clientId"] = clientId,
                ["leadId"] = otherLeadId,
                ["intoLeadId"] = intoLeadId,
                ["mergedBy"] = mergedBy,
                ["mergedAtMs"] = at.Ms(),
            },
            clientId,
            ct);
        var merge = (await FindMergeAsync(clientId, otherLeadId, ct))!;
        var identities = new QueryDefinition("SELECT * FROM c WHERE c.clientId = @clientId AND c.type = 'identity' AND c.leadId = @leadId")
            .WithParameter("@clientId", clientId)
            .WithParameter("@leadId", otherLeadId);
        foreach (var identity in await Leads.QueryAsync(identities, clientId, ct))
        {
            identity["leadId"] = merge.IntoLeadId;
            await Leads.UpsertItemAsync(identity, new PartitionKey(clientId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
        }

        return merge;
    }

    public async Task<LeadMerge?> FindMergeAsync(string clientId, string leadId, CancellationToken ct) =>
        await Leads.ReadOrNullAsync(MergeId(leadId), clientId, ct) is { } doc && doc.String("type") == MergeType ? ToMerge(doc) : null;

    public async Task<IReadOnlyList<LeadMerge>> ListMergedIntoAsync(string clientId, string intoLeadId, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.clientId = @clientId AND c.type = @type AND c.intoLeadId = @leadId")
            .WithParameter("@clientId", clientId)
            .WithParameter("@type", MergeType)
            .WithParameter("@leadId", intoLeadId);
        return (await Leads.QueryAsync(query, clientId, ct)).Select(ToMerge).OrderBy(m => m.MergedAt).ThenBy(m => m.LeadId, StringComparer.Ordinal).ToList();
    }

    internal static string ClaimId(string leadId, string address) => CosmosDocuments.KeyId(EmailClaimType, leadId, address);

    internal static string MergeId(string leadId) => CosmosDocuments.KeyId(MergeType, leadId);

    private static LeadMerge ToMerge(JsonObject d) => new(
        d.String("clientId")!,
        d.String("leadId")!,
        d.String("intoLeadId")!,
        d.String("mergedBy")!,
        DateTimeOffset.FromUnixTimeMilliseconds(d["mergedAtMs"]!.GetValue<long>()));

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

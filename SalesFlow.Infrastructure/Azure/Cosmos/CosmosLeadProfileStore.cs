using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Lead profiles in the <c>leads</c> container (pk <c>/clientId</c>) as the document <c>profile:{leadId}</c>, next to
/// the lead: a point read per turn, created once (a conflict is a lost race) and then replaced under its <c>_etag</c>.
/// </summary>
public sealed class CosmosLeadProfileStore(CosmosContainers containers) : ILeadProfileStore
{
    internal const string ProfileType = "profile";

    internal static string DocId(string leadId) => $"profile:{leadId}";

    public async Task<LeadProfile?> GetAsync(string clientId, string leadId, CancellationToken ct)
    {
        var doc = await containers.Leads.ReadOrNullAsync(DocId(leadId), clientId, ct);
        return doc is not null && doc.String("type") == ProfileType ? CosmosDocuments.FromDocument<LeadProfile>(doc) : null;
    }

    public async Task<LeadProfile> SaveAsync(LeadProfile profile, CancellationToken ct)
    {
        var doc = CosmosDocuments.ToDocument(profile, ProfileType, DocId(profile.LeadId));
        if (profile.ETag.Length > 0)
        {
            var replaced = await containers.Leads.ReplaceGuardedAsync(doc, profile.ClientId, profile.ETag, $"Profile of lead {profile.LeadId}", ct);
            return profile with { ETag = CosmosDocuments.ETagOf(replaced) };
        }

        try
        {
            var created = await containers.Leads.CreateItemAsync(doc, new PartitionKey(profile.ClientId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
            return profile with { ETag = created.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            throw new ConcurrencyException($"Profile of lead {profile.LeadId} was created meanwhile.");
        }
    }
}

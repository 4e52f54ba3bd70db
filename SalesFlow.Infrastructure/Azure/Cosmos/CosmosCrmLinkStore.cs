using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Crm;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// CRM links in the <c>leads</c> container (pk <c>/clientId</c>) as the document <c>crm:{leadId}</c>, next to the lead:
/// a point read per sync, the deal lookup of a webhook a single-partition query, the retry timer's listing the one
/// cross-partition query (on <c>nextRetryAtMs</c>). Created once (a conflict is a lost race), then replaced under its <c>_etag</c>.
/// </summary>
public sealed class CosmosCrmLinkStore(CosmosContainers containers) : ICrmLinkStore
{
    internal const string LinkType = "crmLink";

    internal static string DocId(string leadId) => $"crm:{leadId}";

    public async Task<CrmLink?> GetAsync(string clientId, string leadId, CancellationToken ct)
    {
        var doc = await containers.Leads.ReadOrNullAsync(DocId(leadId), clientId, ct);
        return doc is not null && doc.String("type") == LinkType ? CosmosDocuments.FromDocument<CrmLink>(doc) : null;
    }

    public async Task<CrmLink?> FindByDealAsync(string clientId, string dealId, CancellationToken ct)
    {
        var found = await containers.Leads.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.clientId = @clientId AND c.type = @type AND c.dealId = @dealId")
                .WithParameter("@clientId", clientId)
                .WithParameter("@type", LinkType)
                .WithParameter("@dealId", dealId),
            clientId,
            ct);
        return found.Select(d => CosmosDocuments.FromDocument<CrmLink>(d)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<CrmLink>> ListRetryDueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        // Sorted here rather than with ORDER BY: the failed syncs due in one run are few, and a cross-partition ORDER BY needs a query plan.
        var due = await containers.Leads.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND IS_NUMBER(c.nextRetryAtMs) AND c.nextRetryAtMs <= @now")
                .WithParameter("@type", LinkType)
                .WithParameter("@now", now.Ms()),
            null,
            ct);
        return [.. due.Select(d => CosmosDocuments.FromDocument<CrmLink>(d)).OrderBy(l => l.NextRetryAt).Take(Math.Max(0, max))];
    }

    public async Task<CrmLink> SaveAsync(CrmLink link, CancellationToken ct)
    {
        var doc = CosmosDocuments.ToDocument(link, LinkType, DocId(link.LeadId));
        doc["nextRetryAtMs"] = link.NextRetryAt is { } retryAt ? JsonValue.Create(retryAt.Ms()) : null;
        if (link.ETag.Length > 0)
        {
            var replaced = await containers.Leads.ReplaceGuardedAsync(doc, link.ClientId, link.ETag, $"CRM link of lead {link.LeadId}", ct);
            return link with { ETag = CosmosDocuments.ETagOf(replaced) };
        }

        try
        {
            var created = await containers.Leads.CreateItemAsync(doc, new PartitionKey(link.ClientId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
            return link with { ETag = created.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConcurrencyException($"CRM link of lead {link.LeadId} was created meanwhile.");
        }
    }
}

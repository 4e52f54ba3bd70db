using System.Net;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Recommendations;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Playbooks (<c>playbook:{id}</c>) and runs (<c>pbrun:{hash of lead, playbook}</c>) in the <c>leads</c> container
/// (pk <c>/clientId</c>): point reads and single-partition queries; a run is created once and replaced under its <c>_etag</c>.
/// </summary>
public sealed class CosmosPlaybookStore(CosmosContainers containers) : IPlaybookStore
{
    internal const string PlaybookType = "playbook";
    internal const string RunType = "playbookRun";

    private static string PlaybookDocId(string id) => $"playbook:{id}";

    private static string RunDocId(string leadId, string playbookId) => CosmosDocuments.KeyId("pbrun", leadId, playbookId);

    public async Task AddAsync(Playbook playbook, CancellationToken ct)
    {
        var doc = CosmosDocuments.ToDocument(playbook, PlaybookType, PlaybookDocId(playbook.Id));
        doc["playbookId"] = playbook.Id;
        doc["createdAtMs"] = playbook.CreatedAt.Ms();
        await containers.Leads.TryCreateAsync(doc, playbook.ClientId, ct);
    }

    public async Task<Playbook?> GetAsync(string clientId, string playbookId, CancellationToken ct)
    {
        var doc = await containers.Leads.ReadOrNullAsync(PlaybookDocId(playbookId), clientId, ct);
        return doc is not null && doc.String("type") == PlaybookType ? CosmosDocuments.FromDocument<Playbook>(doc, "playbookId") : null;
    }

    public async Task<IReadOnlyList<Playbook>> ListAsync(string clientId, CancellationToken ct)
    {
        var docs = await containers.Leads.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.clientId = @clientId AND c.type = @type").WithParameter("@clientId", clientId).WithParameter("@type", PlaybookType),
            clientId,
            ct);
        return [.. docs.Select(d => CosmosDocuments.FromDocument<Playbook>(d, "playbookId")).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal)];
    }

    public async Task<PlaybookRun?> GetRunAsync(string clientId, string leadId, string playbookId, CancellationToken ct)
    {
        var doc = await containers.Leads.ReadOrNullAsync(RunDocId(leadId, playbookId), clientId, ct);
        return doc is not null && doc.String("type") == RunType ? CosmosDocuments.FromDocument<PlaybookRun>(doc) : null;
    }

    public async Task<IReadOnlyList<PlaybookRun>> ListRunsAsync(string clientId, string leadId, CancellationToken ct)
    {
        var docs = await containers.Leads.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.clientId = @clientId AND c.type = @type AND c.leadId = @leadId")
                .WithParameter("@clientId", clientId)
                .WithParameter("@type", RunType)
                .WithParameter("@leadId", leadId),
            clientId,
            ct);
        return [.. docs.Select(d => CosmosDocuments.FromDocument<PlaybookRun>(d)).OrderBy(r => r.PlaybookId, StringComparer.Ordinal)];
    }

    public async Task<PlaybookRun> SaveRunAsync(PlaybookRun run, CancellationToken ct)
    {
        var doc = CosmosDocuments.ToDocument(run, RunType, RunDocId(run.LeadId, run.PlaybookId));
        if (run.ETag.Length > 0)
        {
            var replaced = await containers.Leads.ReplaceGuardedAsync(doc, run.ClientId, run.ETag, $"Playbook run of lead {run.LeadId}", ct);
            return run with { ETag = CosmosDocuments.ETagOf(replaced) };
        }

        try
        {
            var created = await containers.Leads.CreateItemAsync(doc, new PartitionKey(run.ClientId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
            return run with { ETag = created.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConcurrencyException($"Playbook run of lead {run.LeadId} was started meanwhile.");
        }
    }
}

using System.Text;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Lead score snapshots in the <c>leads</c> container (pk <c>/clientId</c>) as the document <c>score:{leadId}</c>, next to
/// the lead. The lead list is a single-partition query: each order has one string sort key (<c>skScore</c>, …, value and
/// lead id) so a one-property ORDER BY on the default range index serves it, no composite index needed; only the refresh
/// timer's stale listing crosses partitions. A save keeps the newer of two snapshots (ETag-guarded read-compare-write).
/// </summary>
public sealed class CosmosLeadScoreStore(CosmosContainers containers) : ILeadScoreStore
{
    internal const string ScoreType = "leadScore";
    private const int MaxAttempts = 5;

    internal static string DocId(string leadId) => $"score:{leadId}";

    public async Task<LeadScoreSnapshot?> GetAsync(string clientId, string leadId, CancellationToken ct)
    {
        var doc = await containers.Leads.ReadOrNullAsync(DocId(leadId), clientId, ct);
        return doc is not null && doc.String("type") == ScoreType ? CosmosDocuments.FromDocument<LeadScoreSnapshot>(doc) : null;
    }

    public async Task<bool> SaveAsync(LeadScoreSnapshot s, CancellationToken ct)
    {
        var doc = CosmosDocuments.ToDocument(s, ScoreType, DocId(s.LeadId));
        doc["computedAtMs"] = s.ComputedAt.Ms();
        doc["temperature"] = s.Score.Temperature;
        doc["skScore"] = s.SortKey(LeadSort.Score);
        doc["skUpdated"] = s.SortKey(LeadSort.Updated);
        doc["skCreated"] = s.SortKey(LeadSort.Created);
        doc["skName"] = s.SortKey(LeadSort.Name);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await containers.Leads.ReadOrNullAsync(DocId(s.LeadId), s.ClientId, ct);
            if (stored is null)
            {
                if (await containers.Leads.TryCreateAsync(doc, s.ClientId, ct))
                {
                    return true;
                }
            }
            else
            {
                if (stored["computedAtMs"]?.GetValue<long>() > s.ComputedAt.Ms())
                {
                    return false;
                }

                try
                {
                    await containers.Leads.ReplaceGuardedAsync(doc, s.ClientId, CosmosDocuments.ETagOf(stored), $"Score of lead {s.LeadId}", ct);
                    return true;
                }
                catch (ConcurrencyException) when (attempt < MaxAttempts)
                {
                    // Another refresh wrote meanwhile: compare with its snapshot.
                }
            }

            if (attempt >= MaxAttempts)
            {
                throw new ConcurrencyException($"Score of lead {s.LeadId} kept changing.");
            }
        }
    }

    public async Task<IReadOnlyList<LeadScoreSnapshot>> ListStaleAsync(DateTimeOffset computedBefore, int limit, CancellationToken ct)
    {
        // No cross-partition ORDER BY (it needs a query plan): any `limit` stale snapshots, oldest of those first. Each run
        // refreshes what it read, so the backlog still drains.
        var stale = await containers.Leads.QueryAsync(
            new QueryDefinition($"SELECT TOP {Math.Max(0, limit)} * FROM c WHERE c.type = @type AND c.computedAtMs < @before")
                .WithParameter("@type", ScoreType)
                .WithParameter("@before", computedBefore.Ms()),
            null,
            ct);
        return [.. stale.Select(d => CosmosDocuments.FromDocument<LeadScoreSnapshot>(d)).OrderBy(s => s.ComputedAt).Take(Math.Max(0, limit))];
    }

    public async Task<IReadOnlyList<LeadScoreSnapshot>> ListAsync(string clientId, LeadListQuery query, CancellationToken ct)
    {
        // Property names come from the enum, never from the request; every value is a parameter.
        var key = query.Sort switch
        {
            LeadSort.Score => "c.skScore",
            LeadSort.Updated => "c.skUpdated",
            LeadSort.Created => "c.skCreated",
            _ => "c.skName",
        };
        var sql = new StringBuilder($"SELECT TOP {Math.Max(0, query.Limit)} * FROM c WHERE c.clientId = @clientId AND c.type = @type");
        if (query.Temperature is not null)
        {
            sql.Append(" AND c.temperature = @temperature");
        }

        if (query.State is not null)
        {
            sql.Append(" AND c.state = @state");
        }

        if (query.Query is not null)
        {
            sql.Append(" AND CONTAINS(c.searchText, @q)");
        }

        if (query.After is not null)
        {
            sql.Append($" AND {key} {(query.Descending ? "<" : ">")} @after");
        }

        sql.Append($" ORDER BY {key} {(query.Descending ? "DESC" : "ASC")}");
        var definition = new QueryDefinition(sql.ToString()).WithParameter("@clientId", clientId).WithParameter("@type", ScoreType);
        foreach (var (name, value) in new[] { ("@temperature", query.Temperature), ("@state", query.State), ("@q", query.Query), ("@after", query.After) })
        {
            if (value is not null)
            {
                definition = definition.WithParameter(name, value);
            }
        }

        var page = await containers.Leads.QueryAsync(definition, clientId, ct, query.Limit);
        return [.. page.Take(query.Limit).Select(d => CosmosDocuments.FromDocument<LeadScoreSnapshot>(d))];
    }
}

/// <summary>Each client's learnt score weights in the <c>leads</c> container as the document <c>scoremodel</c> of the client's partition.</summary>
public sealed class CosmosLeadScoreModelStore(CosmosContainers containers) : ILeadScoreModelStore
{
    internal const string ModelType = "leadScoreModel";
    private const string DocId = "scoremodel";

    public async Task<LeadScoreModel?> GetAsync(string clientId, CancellationToken ct)
    {
        var doc = await containers.Leads.ReadOrNullAsync(DocId, clientId, ct);
        return doc is not null && doc.String("type") == ModelType ? CosmosDocuments.FromDocument<LeadScoreModel>(doc) : null;
    }

    public async Task SaveAsync(LeadScoreModel model, CancellationToken ct) =>
        await containers.Leads.UpsertItemAsync(
            CosmosDocuments.ToDocument(model, ModelType, DocId),
            new PartitionKey(model.ClientId),
            new ItemRequestOptions { EnableContentResponseOnWrite = false },
            ct);
}

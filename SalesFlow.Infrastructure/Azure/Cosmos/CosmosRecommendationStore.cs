using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Recommendations;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Recommendations in the <c>leads</c> container (pk <c>/clientId</c>) under their deterministic id (<c>rec_…</c>), with
/// numeric <c>createdAtMs</c>/<c>expiresAtMs</c>/<c>decidedAtMs</c> for the lists; each lead's revisit time is the
/// document <c>revisit:{leadId}</c>. Every list of one client is a single-partition query; the timer's expiry and
/// revisit sweeps are the cross-partition ones. A plan is one query of the lead's open and planned documents, a create
/// per new one, a guarded replace per stale one and the revisit upsert.
/// </summary>
public sealed class CosmosRecommendationStore(CosmosContainers containers) : IRecommendationStore
{
    internal const string RecommendationType = "recommendation";
    internal const string RevisitType = "recommendationRevisit";

    internal static string RevisitId(string leadId) => $"revisit:{leadId}";

    public async Task<Recommendation?> GetAsync(string clientId, string id, CancellationToken ct)
    {
        var doc = await containers.Leads.ReadOrNullAsync(id, clientId, ct);
        return doc is not null && doc.String("type") == RecommendationType ? CosmosDocuments.FromDocument<Recommendation>(doc) : null;
    }

    public async Task<IReadOnlyList<Recommendation>> ListAsync(string clientId, RecommendationFilter filter, int max, CancellationToken ct)
    {
        var where = "c.clientId = @clientId AND c.type = @type";
        where += filter.Status is null ? "" : " AND c.status = @status";
        where += filter.Kind is null ? "" : " AND c.kind = @kind";
        where += filter.LeadId is null ? "" : " AND c.leadId = @leadId";
        var query = new QueryDefinition($"SELECT * FROM c WHERE {where}")
            .WithParameter("@clientId", clientId)
            .WithParameter("@type", RecommendationType);
        query = filter.Status is null ? query : query.WithParameter("@status", filter.Status);
        query = filter.Kind is null ? query : query.WithParameter("@kind", filter.Kind);
        query = filter.LeadId is null ? query : query.WithParameter("@leadId", filter.LeadId);
        // Sorted here: the filters vary, and a composite index per combination is not worth it for a bounded list.
        var docs = await containers.Leads.QueryAsync(query, clientId, ct);
        return [.. docs.Select(Read).OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Take(Math.Max(0, max))];
    }

    public async Task<IReadOnlyList<Recommendation>> ApplyPlanAsync(string clientId, string leadId, IReadOnlyList<Recommendation> planned, DateTimeOffset now, DateTimeOffset revisitAt, CancellationToken ct)
    {
        var existing = await containers.Leads.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.clientId = @clientId AND c.type = @type AND c.leadId = @leadId AND (c.status = 'open' OR ARRAY_CONTAINS(@ids, c.id))")
                .WithParameter("@clientId", clientId)
                .WithParameter("@type", RecommendationType)
                .WithParameter("@leadId", leadId)
                .WithParameter("@ids", planned.Select(r => r.Id).ToArray()),
            clientId,
            ct);
        var known = existing.Select(d => d.String("id")!).ToHashSet(StringComparer.Ordinal);
        List<Recommendation> created = [];
        foreach (var recommendation in planned.Where(r => !known.Contains(r.Id)))
        {
            if (await containers.Leads.TryCreateAsync(ToDocument(recommendation), clientId, ct))
            {
                created.Add(recommendation);
            }
        }

        var keep = planned.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in existing.Select(Read).Where(r => r.Status == RecommendationStatuses.Open && r.Source == RecommendationSources.Planner && !keep.Contains(r.Id)))
        {
            try
            {
                await containers.Leads.ReplaceGuardedAsync(ToDocument(stale with { Status = RecommendationStatuses.Expired }), clientId, stale.ETag, $"Recommendation {stale.Id}", ct);
            }
            catch (Core.Common.ConcurrencyException)
            {
                // A rep decided it meanwhile: their word stands.
            }
        }

        await containers.Leads.UpsertItemAsync(
            new JsonObject { ["id"] = RevisitId(leadId), ["type"] = RevisitType, ["clientId"] = clientId, ["leadId"] = leadId, ["revisitAtMs"] = revisitAt.Ms() },
            new PartitionKey(clientId),
            new ItemRequestOptions { EnableContentResponseOnWrite = false },
            ct);
        return created;
    }

    public async Task<Recommendation> AddAsync(Recommendation recommendation, CancellationToken ct)
    {
        await containers.Leads.TryCreateAsync(ToDocument(recommendation), recommendation.ClientId, ct);
        return (await GetAsync(recommendation.ClientId, recommendation.Id, ct))!;
    }

    public async Task<Recommendation> ReplaceAsync(Recommendation recommendation, CancellationToken ct)
    {
        var replaced = await containers.Leads.ReplaceGuardedAsync(ToDocument(recommendation), recommendation.ClientId, recommendation.ETag, $"Recommendation {recommendation.Id}", ct);
        return recommendation with { ETag = CosmosDocuments.ETagOf(replaced) };
    }

    public async Task<IReadOnlyList<(string Kind, string Status)>> ListDecisionsAsync(string clientId, int max, CancellationToken ct)
    {
        var docs = await containers.Leads.QueryAsync(
            new QueryDefinition("SELECT c.kind, c.status, c.decidedAtMs FROM c WHERE c.clientId = @clientId AND c.type = @type AND IS_NUMBER(c.decidedAtMs) AND c.status IN ('accepted', 'dismissed', 'done')")
                .WithParameter("@clientId", clientId)
                .WithParameter("@type", RecommendationType),
            clientId,
            ct);
        return [.. docs.OrderByDescending(d => d["decidedAtMs"]!.GetValue<long>()).Take(Math.Max(0, max)).Select(d => (d.String("kind")!, d.String("status")!))];
    }

    public async Task<int> ExpireDueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        var due = await containers.Leads.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.status = 'open' AND c.expiresAtMs <= @now")
                .WithParameter("@type", RecommendationType)
                .WithParameter("@now", now.Ms()),
            null,
            ct);
        var expired = 0;
        // Oldest expiry first, at most max per run (a cross-partition ORDER BY would need a query plan).
        foreach (var recommendation in due.Select(Read).OrderBy(r => r.ExpiresAt).Take(Math.Max(0, max)))
        {
            try
            {
                await ReplaceAsync(recommendation with { Status = RecommendationStatuses.Expired }, ct);
                expired++;
            }
            catch (Core.Common.ConcurrencyException)
            {
                // Decided meanwhile.
            }
        }

        return expired;
    }

    public async Task<IReadOnlyList<RecommendationRevisit>> ListRevisitsDueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        var due = await containers.Leads.QueryAsync(
            new QueryDefinition("SELECT c.clientId, c.leadId, c.revisitAtMs FROM c WHERE c.type = @type AND c.revisitAtMs <= @now")
                .WithParameter("@type", RevisitType)
                .WithParameter("@now", now.Ms()),
            null,
            ct);
        return
        [
            .. due.Select(d => new RecommendationRevisit(d.String("clientId")!, d.String("leadId")!, DateTimeOffset.FromUnixTimeMilliseconds(d["revisitAtMs"]!.GetValue<long>())))
                .OrderBy(r => r.At)
                .Take(Math.Max(0, max)),
        ];
    }

    private static JsonObject ToDocument(Recommendation r)
    {
        var doc = CosmosDocuments.ToDocument(r, RecommendationType, r.Id);
        doc["createdAtMs"] = r.CreatedAt.Ms();
        doc["expiresAtMs"] = r.ExpiresAt.Ms();
        doc["decidedAtMs"] = r.DecidedAt is { } at ? JsonValue.Create(at.Ms()) : null;
        return doc;
    }

    private static Recommendation Read(JsonObject doc) => CosmosDocuments.FromDocument<Recommendation>(doc);
}

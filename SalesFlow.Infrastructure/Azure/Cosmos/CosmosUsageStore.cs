using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Ai.Usage;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// AI usage records in the <c>leads</c> container (pk <c>/clientId</c>, document <c>usage:{id}</c>), so a client's
/// totals are one single-partition query and erasing a lead's records is a query by lead id in the same partition.
/// Cost is kept in nano-dollars (integers sum exactly). Totals are summed here from a projection of the matching
/// records: GROUP BY over a partition is not something every Cosmos stand-in answers, and a month of one client's calls
/// is small. A client with very many calls per month would want a pre-aggregated daily document instead.
/// </summary>
public sealed class CosmosUsageStore(CosmosContainers containers) : IUsageStore
{
    internal const string UsageType = "usage";

    private Container Leads => containers.Leads;

    public Task AddAsync(AiUsageRecord record, CancellationToken ct) =>
        Leads.TryCreateAsync(
            new JsonObject
            {
                ["id"] = $"usage:{record.Id}",
                ["type"] = UsageType,
                ["clientId"] = record.ClientId,
                ["usageId"] = record.Id,
                ["leadId"] = record.LeadId,
                ["model"] = record.Model,
                ["purpose"] = record.Purpose,
                ["inputTokens"] = record.InputTokens,
                ["outputTokens"] = record.OutputTokens,
                ["costNanoUsd"] = ToNano(record.CostUsd),
                ["latencyMs"] = record.LatencyMs,
                ["succeeded"] = record.Succeeded,
                ["createdAtMs"] = record.CreatedAt.Ms(),
            },
            record.ClientId,
            ct);

    public async Task<IReadOnlyList<AiUsageRecord>> ListAsync(string clientId, string? leadId, int limit, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, 1000);
        var query = Filter($"SELECT TOP {limit.ToString(CultureInfo.InvariantCulture)} * FROM c", clientId, leadId, null, null, " ORDER BY c.createdAtMs DESC");
        return (await Leads.QueryAsync(query, clientId, ct, limit))
            .Select(Map)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    public async Task<UsageSummary> SummarizeLeadAsync(string clientId, string leadId, CancellationToken ct) =>
        ToSummary(await ReportAsync(clientId, leadId, null, null, ct), null);

    public async Task<UsageSummary> SummarizeClientAsync(string clientId, DateTimeOffset? since, CancellationToken ct) =>
        ToSummary(await ReportAsync(clientId, null, since, null, ct), since);

    public async Task<UsageReport> ReportAsync(string clientId, string? leadId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var query = Filter("SELECT c.model, c.purpose, c.leadId, c.inputTokens, c.outputTokens, c.costNanoUsd FROM c", clientId, leadId, from, to, "");
        var rows = (await Leads.QueryAsync(query, clientId, ct)).Select(d => (
            d.String("model") ?? "",
            d.String("purpose") ?? "",
            d["leadId"]?.GetValue<string>(),
            new UsageTotals(1, d["inputTokens"]!.GetValue<long>(), d["outputTokens"]!.GetValue<long>(), FromNano(d["costNanoUsd"]!.GetValue<long>()))));
        return UsageReport.Build(clientId, leadId, from, to, rows);
    }

    public async Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct)
    {
        var docs = await Leads.QueryAsync(Filter("SELECT c.id FROM c", clientId, leadId, null, null, ""), clientId, ct);
        var removed = 0;
        foreach (var doc in docs)
        {
            removed += await Leads.TryDeleteAsync(doc.String("id")!, clientId, ct) ? 1 : 0;
        }

        return removed;
    }

    private static QueryDefinition Filter(string select, string clientId, string? leadId, DateTimeOffset? from, DateTimeOffset? to, string orderBy)
    {
        var sql = $"{select} WHERE c.clientId = @clientId AND c.type = '{UsageType}'"
            + (leadId is null ? "" : " AND c.leadId = @leadId")
            + (from is null ? "" : " AND c.createdAtMs >= @from")
            + (to is null ? "" : " AND c.createdAtMs < @to")
            + orderBy;
        var query = new QueryDefinition(sql).WithParameter("@clientId", clientId);
        if (leadId is not null)
        {
            query = query.WithParameter("@leadId", leadId);
        }

        if (from is not null)
        {
            query = query.WithParameter("@from", from.Value.Ms());
        }

        return to is null ? query : query.WithParameter("@to", to.Value.Ms());
    }

    private static UsageSummary ToSummary(UsageReport report, DateTimeOffset? since) =>
        new(report.ClientId, report.LeadId, since, report.Total, report.ByModel, report.ByPurpose);

    private static long ToNano(decimal usd) => (long)Math.Round(usd * 1_000_000_000m, MidpointRounding.AwayFromZero);

    private static decimal FromNano(long nano) => nano / 1_000_000_000m;

    private static AiUsageRecord Map(JsonObject d) => new(
        d.String("usageId")!,
        d.String("clientId")!,
        d["leadId"]?.GetValue<string>(),
        d.String("model")!,
        d.String("purpose")!,
        d["inputTokens"]!.GetValue<long>(),
        d["outputTokens"]!.GetValue<long>(),
        FromNano(d["costNanoUsd"]!.GetValue<long>()),
        d["latencyMs"]!.GetValue<double>(),
        d["succeeded"]!.GetValue<bool>(),
        DateTimeOffset.FromUnixTimeMilliseconds(d["createdAtMs"]!.GetValue<long>()));
}

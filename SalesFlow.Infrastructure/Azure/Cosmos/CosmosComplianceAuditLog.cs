using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// The compliance audit log in the <c>leads</c> container (pk <c>/clientId</c>): the audit of a client is one
/// single-partition query, and the entry id (derived from the outbox id) makes a repeated write a conflict, i.e. a no-op.
/// </summary>
public sealed class CosmosComplianceAuditLog(CosmosContainers containers) : IComplianceAuditLog
{
    internal const string AuditType = "complianceAudit";

    public Task<bool> AddAsync(ComplianceAuditEntry entry, CancellationToken ct) =>
        containers.Leads.TryCreateAsync(
            new JsonObject
            {
                ["id"] = $"compliance:{entry.Id}",
                ["type"] = AuditType,
                ["clientId"] = entry.ClientId,
                ["entryId"] = entry.Id,
                ["leadId"] = entry.LeadId,
                ["outboxId"] = entry.OutboxId,
                ["verdict"] = entry.Verdict.ToWire(),
                ["ruleIds"] = new JsonArray([.. entry.RuleIds.Select(r => JsonValue.Create(r))]),
                ["source"] = entry.Source,
                ["purpose"] = entry.Purpose,
                ["originalHash"] = entry.OriginalHash,
                ["finalHash"] = entry.FinalHash,
                ["finalText"] = entry.FinalText,
                ["createdAtMs"] = entry.CreatedAt.Ms(),
            },
            entry.ClientId,
            ct);

    public async Task<IReadOnlyList<ComplianceAuditEntry>> ListAsync(string clientId, string? leadId, ComplianceVerdict? verdict, int limit, CancellationToken ct) =>
        (await ListPageAsync(clientId, leadId, verdict, null, Math.Clamp(limit, 1, 1000), ct)).Items;

    /// <summary>A keyset filter on (createdAtMs, entryId), served in both directions by the leads container's composite index.</summary>
    public async Task<Page<ComplianceAuditEntry>> ListPageAsync(string clientId, string? leadId, ComplianceVerdict? verdict, PagePosition? after, int limit, CancellationToken ct)
    {
        var sql = new StringBuilder($"SELECT TOP {(limit + 1).ToString(CultureInfo.InvariantCulture)} * FROM c WHERE c.clientId = @clientId AND c.type = '{AuditType}'");
        if (leadId is not null)
        {
            sql.Append(" AND c.leadId = @leadId");
        }

        if (verdict is not null)
        {
            sql.Append(" AND c.verdict = @verdict");
        }

        if (after is not null)
        {
            sql.Append(" AND (c.createdAtMs < @at OR (c.createdAtMs = @at AND c.entryId < @id))");
        }

        sql.Append(" ORDER BY c.createdAtMs DESC, c.entryId DESC");
        var query = new QueryDefinition(sql.ToString()).WithParameter("@clientId", clientId);
        if (leadId is not null)
        {
            query = query.WithParameter("@leadId", leadId);
        }

        if (verdict is not null)
        {
            query = query.WithParameter("@verdict", verdict.Value.ToWire());
        }

        if (after is { } position)
        {
            query = query.WithParameter("@at", position.Key).WithParameter("@id", position.Id);
        }

        var entries = (await containers.Leads.QueryAsync(query, clientId, ct, limit + 1))
            .Select(Map)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        return Page<ComplianceAuditEntry>.From(entries, limit, e => new PagePosition(e.CreatedAt.ToUnixTimeMilliseconds(), e.Id));
    }

    private static ComplianceAuditEntry Map(JsonObject d)
    {
        ComplianceVerdictNames.TryParse(d.String("verdict"), out var verdict);
        return new ComplianceAuditEntry(
            d.String("entryId")!,
            d.String("clientId")!,
            d.String("leadId")!,
            d.String("outboxId")!,
            verdict,
            d["ruleIds"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [],
            d.String("source") ?? "rules",
            d.String("purpose") ?? "reply",
            d.String("originalHash") ?? "",
            d.String("finalHash") ?? "",
            d.String("finalText") ?? "",
            DateTimeOffset.FromUnixTimeMilliseconds(d["createdAtMs"]!.GetValue<long>()));
    }
}

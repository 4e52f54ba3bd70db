using Microsoft.Data.Sqlite;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>The compliance audit log in the embedded store; rule ids are a comma-separated list.</summary>
public sealed class SqliteComplianceAuditLog(SqliteDatabase db) : IComplianceAuditLog
{
    private const string Columns = "client_id, id, lead_id, outbox_id, verdict, rule_ids, source, purpose, original_hash, final_hash, final_text, created_at";

    public Task<bool> AddAsync(ComplianceAuditEntry entry, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await c.Command(
            $"INSERT OR IGNORE INTO compliance_audit ({Columns}) VALUES ($c, $id, $l, $o, $v, $r, $s, $p, $oh, $fh, $ft, $at)",
            t,
            ("$c", entry.ClientId),
            ("$id", entry.Id),
            ("$l", entry.LeadId),
            ("$o", entry.OutboxId),
            ("$v", entry.Verdict.ToWire()),
            ("$r", string.Join(',', entry.RuleIds)),
            ("$s", entry.Source),
            ("$p", entry.Purpose),
            ("$oh", entry.OriginalHash),
            ("$fh", entry.FinalHash),
            ("$ft", entry.FinalText),
            ("$at", entry.CreatedAt.Ms())).ExecAsync() == 1, ct);

    public async Task<IReadOnlyList<ComplianceAuditEntry>> ListAsync(string clientId, string? leadId, ComplianceVerdict? verdict, int limit, CancellationToken ct) =>
        (await ListPageAsync(clientId, leadId, verdict, null, Math.Clamp(limit, 1, 1000), ct)).Items;

    public async Task<Page<ComplianceAuditEntry>> ListPageAsync(string clientId, string? leadId, ComplianceVerdict? verdict, PagePosition? after, int limit, CancellationToken ct)
    {
        var (sql, parameters) = PageQuery(clientId, leadId, verdict, after, limit);
        var entries = await db.ReadAsync<IReadOnlyList<ComplianceAuditEntry>>(async c => await c.Command(sql, null, parameters).QueryAsync(Map));
        return Page<ComplianceAuditEntry>.From(entries, limit, e => new PagePosition(e.CreatedAt.Ms(), e.Id));
    }

    /// <summary>The statement behind <see cref="ListPageAsync"/>: a keyset seek on the client's (or the lead's) time index, one entry more than the page.</summary>
    internal static (string Sql, (string Name, object? Value)[] Parameters) PageQuery(string clientId, string? leadId, ComplianceVerdict? verdict, PagePosition? after, int limit)
    {
        var filter = new SqlFilter("client_id = $c", ("$c", clientId)).WhereGiven("lead_id = $l", "$l", leadId).WhereGiven("verdict = $v", "$v", verdict?.ToWire());
        if (after is { } position)
        {
            filter.Where("(created_at, id) < ($at, $id)", ("$at", position.Key), ("$id", position.Id));
        }

        return ($"SELECT {Columns} FROM compliance_audit WHERE {filter.Sql} ORDER BY created_at DESC, id DESC LIMIT $n", filter.With(("$n", limit + 1)));
    }

    private static ComplianceAuditEntry Map(SqliteDataReader r)
    {
        ComplianceVerdictNames.TryParse(r.GetString(r.GetOrdinal("verdict")), out var verdict);
        var rules = r.GetString(r.GetOrdinal("rule_ids"));
        return new ComplianceAuditEntry(
            r.GetString(r.GetOrdinal("id")),
            r.GetString(r.GetOrdinal("client_id")),
            r.GetString(r.GetOrdinal("lead_id")),
            r.GetString(r.GetOrdinal("outbox_id")),
            verdict,
            rules.Length == 0 ? [] : rules.Split(','),
            r.GetString(r.GetOrdinal("source")),
            r.GetString(r.GetOrdinal("purpose")),
            r.GetString(r.GetOrdinal("original_hash")),
            r.GetString(r.GetOrdinal("final_hash")),
            r.GetString(r.GetOrdinal("final_text")),
            r.Time("created_at"));
    }
}

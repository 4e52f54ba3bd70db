using Microsoft.Data.Sqlite;
using SalesFlow.Core.Compliance;

namespace SalesFlow.Core.Adapters.Embedded;

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

    public Task<IReadOnlyList<ComplianceAuditEntry>> ListAsync(string clientId, string? leadId, ComplianceVerdict? verdict, int limit, CancellationToken ct)
    {
        var filter = new SqlFilter("client_id = $c", ("$c", clientId)).WhereGiven("lead_id = $l", "$l", leadId).WhereGiven("verdict = $v", "$v", verdict?.ToWire());
        return db.ReadAsync<IReadOnlyList<ComplianceAuditEntry>>(async c => await c.Command(
            $"SELECT {Columns} FROM compliance_audit WHERE {filter.Sql} ORDER BY created_at DESC, id DESC LIMIT $n",
            null,
            filter.With(("$n", Math.Clamp(limit, 1, 1000)))).QueryAsync(Map));
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

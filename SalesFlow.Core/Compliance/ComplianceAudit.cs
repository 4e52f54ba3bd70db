using SalesFlow.Core.Common;

namespace SalesFlow.Core.Compliance;

/// <summary>
/// One verdict of the compliance filter, kept as evidence (the "liability shield"): what rule fired, hashes of the text
/// the brain wrote and of the text stored for delivery, and the stored text itself. The model's original text is kept
/// only as its hash: what was never sent is not personal data SalesFlow needs to keep.
/// </summary>
/// <param name="Id">Derived from the outbox id: one entry per reply, a re-run turn writes nothing new.</param>
/// <param name="Source">"llm" or "rules": who wrote the original.</param>
public sealed record ComplianceAuditEntry(
    string Id,
    string ClientId,
    string LeadId,
    string OutboxId,
    ComplianceVerdict Verdict,
    IReadOnlyList<string> RuleIds,
    string Source,
    string Purpose,
    string OriginalHash,
    string FinalHash,
    string FinalText,
    DateTimeOffset CreatedAt);

/// <summary>Where verdicts are kept. Every query is scoped to one client.</summary>
public interface IComplianceAuditLog
{
    /// <summary>Adds the entry unless one with its id exists (idempotent); true when added.</summary>
    Task<bool> AddAsync(ComplianceAuditEntry entry, CancellationToken ct);

    /// <summary>Newest first, optionally for one lead and one verdict.</summary>
    Task<IReadOnlyList<ComplianceAuditEntry>> ListAsync(string clientId, string? leadId, ComplianceVerdict? verdict, int limit, CancellationToken ct);

    /// <summary>One page, newest first (time, then id), starting after <paramref name="after"/> (null for the first page).</summary>
    Task<Page<ComplianceAuditEntry>> ListPageAsync(string clientId, string? leadId, ComplianceVerdict? verdict, PagePosition? after, int limit, CancellationToken ct);
}

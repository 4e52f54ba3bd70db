namespace SalesFlow.Functions.Apis;

/// <summary>A compliance rule that fired, with what it guards against.</summary>
public sealed record ComplianceRuleDto(string Id, string Description);

/// <summary>POST /api/compliance/check.</summary>
/// <param name="Verdict">allow, rewrite or block.</param>
/// <param name="SafeText">The text as it would be sent (rewritten when needed); empty when blocked.</param>
public sealed record ComplianceCheckDto(string Verdict, IReadOnlyList<ComplianceRuleDto> Rules, string SafeText);

/// <summary>GET /api/compliance/audit: one page, newest first.</summary>
/// <param name="Next">The cursor of the next page; null on the last.</param>
public sealed record ComplianceAuditPageDto(IReadOnlyList<ComplianceAuditDto> Items, string? Next);

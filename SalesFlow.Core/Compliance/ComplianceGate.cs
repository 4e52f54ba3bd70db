using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Compliance;

/// <summary>The filter and its audit log, as the conversation engine uses them: judge a reply, then record the verdict for the stored item.</summary>
public sealed class ComplianceGate(IComplianceFilter filter, IComplianceAuditLog audit, ILogger<ComplianceGate> logger)
{
    public ComplianceResult Check(ComplianceInput input)
    {
        var result = filter.Check(input);
        SalesFlowMetrics.ComplianceVerdicts.Add(1, new TagList { { "verdict", result.Verdict.ToWire() } });
        if (result.Verdict != ComplianceVerdict.Pass)
        {
            logger.LogWarning("Compliance {Verdict} a reply ({Rules})", result.Verdict.ToWire(), string.Join(", ", result.RuleIds));
        }

        return result;
    }

    /// <summary>The audit entry id of an outbox item's verdict.</summary>
    public static string EntryIdFor(string clientId, string outboxId) => Ids.Deterministic("cmp", clientId, outboxId);

    /// <summary>
    /// Records the verdict for the item as stored. When the item was already there (a re-run turn) and holds a different
    /// text, that stored text is what the lead gets, so it is judged again and that judgement is recorded (if none was).
    /// </summary>
    public async Task RecordAsync(OutboxItem stored, ComplianceInput input, ComplianceResult result, string source, DateTimeOffset now, CancellationToken ct)
    {
        var original = input.Text;
        if (stored.Text != result.Text)
        {
            result = filter.Check(input with { Text = stored.Text });
            original = stored.Text;
        }

        await audit.AddAsync(
            new ComplianceAuditEntry(
                EntryIdFor(stored.ClientId, stored.Id),
                stored.ClientId,
                stored.LeadId,
                stored.Id,
                result.Verdict,
                result.RuleIds,
                source,
                stored.Purpose,
                Ids.Sha256Hex(original),
                Ids.Sha256Hex(stored.Text),
                stored.Text,
                now),
            ct);
    }
}

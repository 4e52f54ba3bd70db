using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Compliance;

/// <summary>
/// The filter and its audit log, as the conversation engine uses them: judge a reply, then record the verdict for the
/// stored item. Every judgement also looks for this process's own secrets (<see cref="ProcessSecrets"/>).
/// </summary>
public sealed class ComplianceGate(IComplianceFilter filter, IComplianceAuditLog audit, ProcessSecrets processSecrets, ILogger<ComplianceGate> logger)
{
    public ComplianceResult Check(ComplianceInput input)
    {
        var result = filter.Check(WithProcessSecrets(input));
        SalesFlowMetrics.ComplianceVerdicts.Add(1, new TagList { { "verdict", result.Verdict.ToWire() } });
        if (result.Verdict != ComplianceVerdict.Pass)
        {
            logger.LogWarning("Compliance {Verdict} a reply ({Rules})", result.Verdict.ToWire(), string.Join(", ", result.RuleIds));
        }

        return result;
    }

    /// <summary>
    /// The reply's tokens held back sentence by sentence (<see cref="SentenceHoldBack"/>): a sentence is released only when
    /// the text so far breaks no rule but the channel's length (the stored reply is trimmed to it anyway), so a streamed
    /// token never shows what the filter would remove.
    /// </summary>
    public IAsyncEnumerable<Brain.ReplyChunk> HoldBack(IAsyncEnumerable<Brain.ReplyChunk> chunks, ComplianceInput input, CancellationToken ct)
    {
        var judged = WithProcessSecrets(input) with { Policy = input.Policy with { Disclosure = null } };
        return SentenceHoldBack.Guard(chunks, soFar => filter.Check(judged with { Text = soFar }).RuleIds.All(r => r == ComplianceRules.Length), ct);
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
            result = filter.Check(WithProcessSecrets(input) with { Text = stored.Text });
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

    private ComplianceInput WithProcessSecrets(ComplianceInput input) =>
        processSecrets.Values.Count == 0 ? input : input with { Policy = input.Policy with { Secrets = [.. input.Policy.Secrets, .. processSecrets.Values] } };
}

using Microsoft.Extensions.Logging;
using SalesFlow.Core.Common;

namespace SalesFlow.Core.Leads;

public enum LeadMergeOutcome
{
    Merged,

    /// <summary>The surviving lead is unknown to the client, or was itself merged away.</summary>
    LeadNotFound,

    /// <summary>The other lead is unknown to the client, or was merged into a different lead.</summary>
    OtherNotFound,
}

/// <summary>
/// A rep decides that two leads are one person (typically a chat lead whose e-mail address another lead owns): the
/// other lead's identities move to the surviving lead, so its channels route there from now on; both leads' records,
/// conversations and messages are kept (the merge record links them, and is the audit trail: who merged, when), and
/// the surviving lead takes over contact details it lacks. A claim of the survivor on the other lead's address counts
/// as verified: the rep vouched for it. Repeating the merge changes nothing.
/// </summary>
public sealed class LeadMergeService(ILeadStore leads, TimeProvider clock, ILogger<LeadMergeService> logger)
{
    private const int MaxAttempts = 5;

    public async Task<(LeadMergeOutcome Outcome, LeadMerge? Merge)> MergeAsync(string clientId, string intoLeadId, string otherLeadId, string mergedBy, CancellationToken ct)
    {
        if (await leads.GetAsync(clientId, intoLeadId, ct) is null || await leads.FindMergeAsync(clientId, intoLeadId, ct) is not null)
        {
            return (LeadMergeOutcome.LeadNotFound, null);
        }

        var other = await leads.GetAsync(clientId, otherLeadId, ct);
        var earlier = await leads.FindMergeAsync(clientId, otherLeadId, ct);
        if (other is null || (earlier is not null && earlier.IntoLeadId != intoLeadId))
        {
            return (LeadMergeOutcome.OtherNotFound, earlier);
        }

        var now = clock.GetUtcNow();
        var merge = await leads.MergeAsync(clientId, intoLeadId, otherLeadId, mergedBy, now, ct);
        if (merge.IntoLeadId != intoLeadId)
        {
            return (LeadMergeOutcome.OtherNotFound, merge); // a concurrent merge of the other lead elsewhere won
        }

        await TakeOverContactsAsync(clientId, intoLeadId, other, now, ct);
        foreach (var claim in (await leads.ListEmailClaimsAsync(clientId, intoLeadId, ct)).Where(c => c.Status == EmailClaimStatus.Conflict && c.ConflictLeadId == otherLeadId))
        {
            await leads.SaveEmailClaimAsync(claim with { Status = EmailClaimStatus.Verified, VerifiedAt = merge.MergedAt }, ct);
        }

        if (earlier is null)
        {
            logger.LogInformation("Lead {OtherLeadId} of client {ClientId} merged into lead {LeadId} by {MergedBy}", otherLeadId, clientId, intoLeadId, mergedBy);
        }

        return (LeadMergeOutcome.Merged, merge);
    }

    private async Task TakeOverContactsAsync(string clientId, string intoLeadId, Lead other, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var lead = (await leads.GetAsync(clientId, intoLeadId, ct))!;
            var updated = lead with { Name = lead.Name ?? other.Name, Email = lead.Email ?? other.Email, Phone = lead.Phone ?? other.Phone };
            if (updated == lead)
            {
                return;
            }

            try
            {
                await leads.ReplaceAsync(updated with { UpdatedAt = now }, ct);
                return;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // A turn wrote the lead meanwhile: read it again.
            }
        }
    }
}

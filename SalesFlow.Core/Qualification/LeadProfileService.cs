using SalesFlow.Core.Brain;
using SalesFlow.Core.Common;

namespace SalesFlow.Core.Qualification;

/// <summary>Merges a turn's insights into the stored profile, re-reading and re-applying when another writer won the race.</summary>
public sealed class LeadProfileService(ILeadProfileStore store)
{
    private const int MaxAttempts = 5;

    /// <param name="throughSeq">Sequence number of the last message this turn answers; a turn already merged is skipped.</param>
    public async Task<LeadProfile> MergeAsync(string clientId, string leadId, LeadInsights insights, long throughSeq, DateTimeOffset now, CancellationToken ct) =>
        (await MergeTurnAsync(clientId, leadId, insights, throughSeq, now, ct)).After;

    /// <summary>As <see cref="MergeAsync"/>, with the profile the merge started from (the same as the result when the turn was merged already).</summary>
    public async Task<(LeadProfile Before, LeadProfile After)> MergeTurnAsync(string clientId, string leadId, LeadInsights insights, long throughSeq, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(clientId, leadId, ct) ?? LeadProfile.New(clientId, leadId);
            if (current.MergedThroughSeq >= throughSeq && current.Turns > 0)
            {
                return (current, current);
            }

            try
            {
                return (current, await store.SaveAsync(LeadProfileMerger.Merge(current, insights, now) with { MergedThroughSeq = throughSeq }, ct));
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Another turn of the same lead merged first: merge into its result instead.
            }
        }
    }

    public Task<LeadProfile?> GetAsync(string clientId, string leadId, CancellationToken ct) => store.GetAsync(clientId, leadId, ct);
}

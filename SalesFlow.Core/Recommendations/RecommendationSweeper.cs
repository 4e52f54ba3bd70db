using Microsoft.Extensions.Logging;

namespace SalesFlow.Core.Recommendations;

/// <summary>
/// The recommendations timer's run: expires open recommendations past their expiry, then plans again the leads due
/// for a revisit (silence makes follow-up, nurture and close-as-lost due without any turn), each a bounded batch so a
/// backlog drains over a few runs. Decay needs no run: priorities are decayed on read.
/// </summary>
public sealed class RecommendationSweeper(IRecommendationStore store, RecommendationService recommendations, TimeProvider clock, ILogger<RecommendationSweeper> logger)
{
    public const int MaxExpiredPerRun = 500;
    public const int MaxLeadsPerRun = 100;

    /// <summary>A lead that is gone (its client deleted) is not looked at again for this long.</summary>
    public static readonly TimeSpan GoneLeadRevisit = TimeSpan.FromDays(30);

    public async Task<(int Expired, int Planned)> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expired = await store.ExpireDueAsync(now, MaxExpiredPerRun, ct);
        var planned = 0;
        foreach (var due in await store.ListRevisitsDueAsync(now, MaxLeadsPerRun, ct))
        {
            try
            {
                if (await recommendations.RefreshAsync(due.ClientId, due.LeadId, ct))
                {
                    planned++;
                }
                else
                {
                    await store.ApplyPlanAsync(due.ClientId, due.LeadId, [], now, now + GoneLeadRevisit, ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One lead's failure must not starve the others; it stays due and is tried next run.
                logger.LogWarning(e, "Planning recommendations for lead {LeadId} failed", due.LeadId);
            }
        }

        if (expired + planned > 0)
        {
            logger.LogInformation("Recommendations: {Expired} expired, {Planned} leads planned again", expired, planned);
        }

        return (expired, planned);
    }
}

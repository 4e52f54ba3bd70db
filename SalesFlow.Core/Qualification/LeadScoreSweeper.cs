using Microsoft.Extensions.Logging;

namespace SalesFlow.Core.Qualification;

/// <summary>
/// The score-refresh timer's work: leads whose snapshot is older than <see cref="StaleAfter"/> (they had no turn since)
/// are scored again, so recency decays their score; each client seen is refitted first when its outcomes changed. Bounded
/// per run and per client, so one large client cannot starve the others; the rest is found on the next run.
/// </summary>
public sealed class LeadScoreSweeper(ILeadScoreStore scores, LeadScoreRefresher refresher, LeadScoreLearner learner, TimeProvider clock, ILogger<LeadScoreSweeper> logger)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(6);
    public const int MaxLeadsPerRun = 500;
    public const int MaxLeadsPerClient = 100;

    /// <returns>Leads scored again.</returns>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var refreshed = 0;
        var stale = await scores.ListStaleAsync(clock.GetUtcNow() - StaleAfter, MaxLeadsPerRun, ct);
        foreach (var client in stale.GroupBy(s => s.ClientId))
        {
            try
            {
                await learner.RefitIfChangedAsync(client.Key, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Refitting the score weights of client {ClientId} failed", client.Key);
            }

            foreach (var snapshot in client.Take(MaxLeadsPerClient))
            {
                try
                {
                    refreshed += await refresher.RefreshAsync(snapshot.ClientId, snapshot.LeadId, ct) is null ? 0 : 1;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One lead's failure must not starve the others; it is found again next run.
                    logger.LogWarning(e, "Score refresh of lead {LeadId} failed", snapshot.LeadId);
                }
            }
        }

        return refreshed;
    }
}

using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Functions.Runners;

/// <summary>score-refresh: scores quiet leads again (time decay) and refits a client's weights when its outcomes changed.</summary>
public sealed class ScoreRefreshTimer(LeadScoreSweeper sweeper) : ITimerHandler
{
    public string Name => TimerNames.ScoreRefresh;

    public Task RunAsync(CancellationToken ct) => sweeper.SweepAsync(ct);
}

using SalesFlow.Core.Recommendations;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Functions.Runners;

/// <summary>recommendations-sweep: expires stale next best actions and plans silent leads again (bounded batches).</summary>
public sealed class RecommendationsTimer(RecommendationSweeper sweeper) : ITimerHandler
{
    public string Name => TimerNames.Recommendations;

    public Task RunAsync(CancellationToken ct) => sweeper.SweepAsync(ct);
}

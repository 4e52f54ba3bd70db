using SalesFlow.Core.Alerts;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Functions.Runners;

/// <summary>daily-summary: writes each client's summary of yesterday once its local time passes 08:00 (once per local day).</summary>
public sealed class DailySummaryTimer(DailySummaryService summaries) : ITimerHandler
{
    public string Name => TimerNames.DailySummary;

    public Task RunAsync(CancellationToken ct) => summaries.RunAsync(ct);
}

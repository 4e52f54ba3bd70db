using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Finishes, after a restart, the scrub of erasures that a crash or shutdown interrupted (embedded store only). It runs
/// in the background: intake does not wait for it, and the scrub holds the write lock only a slice at a time.
/// </summary>
public sealed class ErasureScrubResumer(SqliteDatabase db, ILogger<ErasureScrubResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await db.Scrubber.AnyPendingAsync())
        {
            return;
        }

        logger.LogInformation("Finishing the on-disk scrub of erasures interrupted before the last shutdown");
        try
        {
            await db.Scrubber.ScrubPendingAsync(stoppingToken);
            logger.LogInformation("Interrupted erasures scrubbed");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Still pending: the next erasure or the next start scrubs again. Serving goes on meanwhile.
            logger.LogError(e, "Scrubbing interrupted erasures failed; they stay pending");
        }
    }
}

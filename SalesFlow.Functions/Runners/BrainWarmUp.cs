using SalesFlow.Core.Brain.Learnt;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Reads one message once the app has started, in the background: the first reading loads the learnt models and the
/// ~90 MB sentence-embedding model (about half a second), which the first lead's reply would otherwise wait for. /ready
/// does not wait for it; a failure is logged and the first turn tries again.
/// </summary>
public sealed class BrainWarmUp(MessageReader reader, IHostApplicationLifetime lifetime, ILogger<BrainWarmUp> logger) : BackgroundService
{
    /// <summary>An ordinary first message: reading it runs the rules, the embedding and both models.</summary>
    public const string Sample = "Hi, what would your product cost for a team of five?";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            await Task.Run(() => reader.Read(Sample), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Loading the learnt brain's models failed; the first turn will try again");
        }
    }
}

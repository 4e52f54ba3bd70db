using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Observability;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Functions.Runners;

/// <summary>
/// Stores what the webhooks journaled (<see cref="SqliteInboundJournal"/>), oldest first: each entry is one write unit
/// that stores the message (<see cref="IntakeService.StoreAsync(Client, InboundMessage, DateTimeOffset, CancellationToken)"/>)
/// and removes the entry, so a crash stores it once or not yet. The units are background work: under a burst the
/// webhooks' appends go first and these catch up as it eases. An entry that fails waits
/// (1 s, 2 s … 60 s) and is tried again, never dropped: it was acknowledged to the provider. Supervised like the queue
/// workers, and woken by every append.
/// </summary>
public sealed class InboundJournalRunner(
    SqliteInboundJournal journal,
    IntakeService intake,
    CachingClientStore clients,
    RuntimeHealth health,
    TimeProvider clock,
    ILogger<InboundJournalRunner> logger) : BackgroundService
{
    /// <summary>Entries read per batch.</summary>
    public const int BatchSize = 32;

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryWait = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _signal = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        journal.Appended += OnAppended;
        try
        {
            await SupervisedLoop.RunAsync("inbound-journal", DrainAsync, health, logger, clock, stoppingToken);
        }
        finally
        {
            journal.Appended -= OnAppended;
        }
    }

    private void OnAppended()
    {
        // One pending wake is enough: the drain reads everything due when it wakes.
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Stores the entries due now, up to a batch; returns how many it took (those that failed wait for a retry).</summary>
    public async Task<int> StoreDueAsync(CancellationToken ct)
    {
        var due = await journal.DueAsync(BatchSize, ct);
        // Submitted in journal order: the group commit runs units in the order they came, so a lead's messages keep theirs.
        await Task.WhenAll(due.Select(entry => StoreAsync(entry, ct)).ToList());
        return due.Count;
    }

    private async Task DrainAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            int stored;
            try
            {
                stored = await StoreDueAsync(ct);
                failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var wait = Backoff.Delay(++failures);
                logger.LogError(ex, "Reading the inbound journal failed; next try in {Wait}", wait);
                await Task.Delay(wait, clock, ct);
                continue;
            }

            if (stored == 0)
            {
                await _signal.WaitAsync(await IdleWaitAsync(ct), ct);
            }
        }
    }

    /// <summary>Until the next entry waiting out a retry falls due, at most the idle poll.</summary>
    private async Task<TimeSpan> IdleWaitAsync(CancellationToken ct)
    {
        try
        {
            var next = await journal.NextDueAsync(ct);
            return next is null ? IdlePoll : TimeSpan.FromTicks(Math.Clamp((next.Value - clock.GetUtcNow()).Ticks, TimeSpan.FromMilliseconds(10).Ticks, IdlePoll.Ticks));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return IdlePoll;
        }
    }

    private async Task StoreAsync(JournalEntry entry, CancellationToken ct)
    {
        using var scope = logger.BeginScope("correlation {CorrelationId} client {ClientId}", entry.CorrelationId, entry.ClientId);
        try
        {
            // The webhooks' 1 s cache: a full read (and decryption of every secret) per message would be the runner's hot path.
            var client = await clients.GetRecentAsync(entry.ClientId, ct);
            // A client removed since the webhook has nothing to store the message in; the entry goes with it.
            var result = await journal.StoreAsync(entry, async () => client is null ? null : await intake.StoreAsync(client, entry.Message, entry.ReceivedAt, ct), ct);
            if (result is null)
            {
                logger.LogWarning("Journaled {Channel} message {ProviderMessageId} dropped: client {ClientId} no longer exists", entry.Message.Channel.ToWire(), entry.Message.ProviderMessageId, entry.ClientId);
                return;
            }

            intake.LogAccepted(result);
            SalesFlowMetrics.InboundJournalWait.Record((clock.GetUtcNow() - entry.ReceivedAt).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the entry stays and is stored at the next start.
        }
        catch (Exception ex)
        {
            var wait = TimeSpan.FromSeconds(Math.Min(MaxRetryWait.TotalSeconds, Math.Pow(2, entry.Attempts)));
            logger.LogError(ex, "Storing journaled {Channel} message {ProviderMessageId} failed on try {Try}; next try in {Wait}", entry.Message.Channel.ToWire(), entry.Message.ProviderMessageId, entry.Attempts + 1, wait);
            try
            {
                await journal.RetryLaterAsync(entry.Seq, ex.GetType().Name + ": " + ex.Message, wait, CancellationToken.None);
            }
            catch (Exception retry)
            {
                // The store refuses even this (a full or read-only disk): the entry stays due and the next read finds it.
                logger.LogError(retry, "Could not record the failure of journal entry {Seq}", entry.Seq);
                await Task.Delay(Backoff.Delay(entry.Attempts + 1), clock, ct);
            }
        }
    }
}

using SalesFlow.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace SalesFlow.Core.FollowUps;

/// <summary>
/// The standalone follow-up driver: keeps each lead's timer in the store (planned after a turn, cancelled by a message)
/// and, every sweep, claims the due ones with a guarded write and runs their step through <see cref="FollowUpService"/>.
/// A step's outbox key makes a re-run after a crash land on the same item; the lease brings a crashed claim back.
/// </summary>
public sealed class StoreFollowUpDriver(IFollowUpTimerStore timers, FollowUpService followUps, TimeProvider clock, ILogger<StoreFollowUpDriver> logger)
{
    public const int MaxTimersPerSweep = 100;

    /// <summary>Plans the lead's next follow-up (after a turn) and sets or removes the timer.</summary>
    /// <param name="turn">The turn that just ran, when it answered something: its facts plan a reply's new cycle without reading the stores.</param>
    public async Task PlanAsync(string clientId, string leadId, TurnResult? turn, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (turn is not null && followUps.PlanAfterTurn(turn, now) is { } fresh)
        {
            // A reply written by this turn starts a new cycle: whatever timer the lead had belongs to an older one and is replaced.
            await SetOrCancelAsync(clientId, leadId, fresh, timerRead: false, existing: null, ct);
            return;
        }

        var existing = await timers.GetAsync(clientId, leadId, ct);
        var plan = await followUps.PlanAsync(clientId, leadId, existing?.Progress ?? FollowUpProgress.None, now, ct);
        await SetOrCancelAsync(clientId, leadId, plan, timerRead: true, existing, ct);
    }

    /// <param name="timerRead">Whether <paramref name="existing"/> was read before planning: then an unchanged timer is not
    /// written again and a missing one not cancelled (a plan read back from the stores after a crash often says what the timer says).</param>
    private async Task SetOrCancelAsync(string clientId, string leadId, FollowUpPlan plan, bool timerRead, FollowUpTimer? existing, CancellationToken ct)
    {
        if (DueAtOf(plan) is { } due)
        {
            var timer = new FollowUpTimer { ClientId = clientId, LeadId = leadId, Cycle = plan.Progress.Cycle, StepsSent = plan.Progress.StepsSent, LastStepAt = plan.Progress.LastStepAt, DueAt = due };
            if (existing is null || !SameAsStored(existing, timer))
            {
                await timers.SetAsync(timer, ct);
            }
        }
        else if (existing is not null || !timerRead)
        {
            await timers.CancelAsync(clientId, leadId, ct);
        }
    }

    /// <summary>The stores keep times to the millisecond.</summary>
    private static bool SameAsStored(FollowUpTimer stored, FollowUpTimer planned) =>
        stored.Cycle == planned.Cycle
        && stored.StepsSent == planned.StepsSent
        && stored.LastStepAt?.ToUnixTimeMilliseconds() == planned.LastStepAt?.ToUnixTimeMilliseconds()
        && stored.DueAt.ToUnixTimeMilliseconds() == planned.DueAt.ToUnixTimeMilliseconds();

    /// <summary>The lead wrote: no follow-up until their reply's turn plans a new cycle.</summary>
    public Task CancelAsync(string clientId, string leadId, CancellationToken ct) => timers.CancelAsync(clientId, leadId, ct);

    /// <summary>Runs the due steps; returns how many were written (sent or recorded as needing a template).</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var done = 0;
        foreach (var timer in await timers.ListDueAsync(clock.GetUtcNow(), MaxTimersPerSweep, ct))
        {
            var now = clock.GetUtcNow();
            if (await timers.TryReplaceAsync(timer with { DueAt = now + followUps.ClaimLease }, ct) is not { } claimed)
            {
                continue; // another sweep claimed it, or a message or a turn changed it meanwhile
            }

            try
            {
                var step = await followUps.RunStepAsync(claimed.ClientId, claimed.LeadId, claimed.Progress, now, ct);
                done += step.Outcome == FollowUpStepOutcome.Skipped ? 0 : 1;
                var plan = await followUps.PlanAsync(claimed.ClientId, claimed.LeadId, step.Progress, now, ct);
                var next = DueAtOf(plan) is { } due
                    ? await timers.TryReplaceAsync(claimed with { Cycle = plan.Progress.Cycle, StepsSent = plan.Progress.StepsSent, LastStepAt = plan.Progress.LastStepAt, DueAt = due }, ct) is not null
                    : await timers.TryRemoveAsync(claimed, ct);
                if (!next)
                {
                    logger.LogDebug("Follow-up timer of lead {LeadId} changed during its step; the newer plan stands", claimed.LeadId);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The claim's lease brings it back; the step's outbox key keeps a second run from sending twice.
                logger.LogWarning(e, "Follow-up of lead {LeadId} failed; retried after the lease", claimed.LeadId);
            }
        }

        return done;
    }

    private static DateTimeOffset? DueAtOf(FollowUpPlan plan) => plan.Decision.Action switch
    {
        FollowUpAction.Wait or FollowUpAction.Send => plan.Decision.DueAt,
        _ => null,
    };
}

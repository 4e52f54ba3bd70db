using System.Globalization;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Core.FollowUps;

/// <summary>The next step of the current cycle (1-based) and when it is due.</summary>
public sealed record ScheduledFollowUp(int Step, DateTimeOffset DueAt);

/// <summary>A follow-up step in the outbox: which cycle and step (1-based), where, and how far it got.</summary>
public sealed record SentFollowUp(string OutboxId, string Cycle, int Step, ChannelKind Channel, string Status, string? Error, DateTimeOffset At, DateTimeOffset UpdatedAt);

/// <summary>
/// A lead's follow-ups as people look at them (GET /api/leads/{id}/followups).
/// </summary>
/// <param name="Cycle">The outbox id of the message the cadence follows (the unanswered reply or first contact); null when there is none.</param>
/// <param name="Status">scheduled (a step is due later), due (it goes out with the next sweep), paused (the lead wrote; their reply starts a new cycle), finished (opted out, escalated, won) or nurture (the cadence ran out unanswered), none.</param>
/// <param name="Reason">The planner's word for it: waiting, due, lead_replied, opted_out, escalated, won, cadence_done, no_reply.</param>
/// <param name="Nurture">The lead went cold: every step of the cadence went out and they never answered. Derived, never stored, so a reply ends it by itself.</param>
public sealed record FollowUpOverview(string? Cycle, string Status, string Reason, int Steps, int StepsDone, ScheduledFollowUp? Next, bool Nurture, IReadOnlyList<SentFollowUp> Sent);

/// <summary>
/// Reads what is scheduled and what went out for a lead. The plan comes from the same planner both drivers use, on the
/// stores' facts (the steps done are counted from the outbox, the one record both drivers write); standalone, a store
/// timer of the same cycle gives the exact due time (a claimed timer's lease, a swept overdue step).
/// </summary>
public sealed class FollowUpOverviewReader(FollowUpService followUps, IOutboxStore outbox, IFollowUpTimerStore timers, TimeProvider clock)
{
    /// <summary>How many of the lead's newest outbox items are looked at (a cadence has a handful of steps per cycle).</summary>
    private const int OutboxItems = 200;

    public async Task<FollowUpOverview> ReadAsync(string clientId, string leadId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var items = (await outbox.ListPageAsync(clientId, leadId, null, null, OutboxItems, ct)).Items;
        var sent = items
            .Where(i => i.Purpose == OutboxPurpose.FollowUp)
            .Select(i => Parse(i))
            .OfType<SentFollowUp>()
            .ToList();

        var first = await followUps.PlanAsync(clientId, leadId, FollowUpProgress.None, now, ct);
        var cycle = first.Progress.Cycle;
        if (cycle.Length == 0)
        {
            return new(null, "none", first.Decision.Reason, 0, 0, null, false, sent);
        }

        var ofCycle = sent.Where(s => s.Cycle == cycle).ToList();
        var progress = new FollowUpProgress(cycle, ofCycle.Count == 0 ? 0 : ofCycle.Max(s => s.Step), ofCycle.Count == 0 ? null : ofCycle.Max(s => s.At));
        var plan = ofCycle.Count == 0 ? first : await followUps.PlanAsync(clientId, leadId, progress, now, ct);
        var steps = await followUps.CadenceLengthAsync(clientId, ct);
        ScheduledFollowUp? next = null;
        if (plan.Decision.Action is FollowUpAction.Wait or FollowUpAction.Send && plan.Decision.DueAt is { } due)
        {
            var timer = await timers.GetAsync(clientId, leadId, ct);
            next = timer is not null && timer.Cycle == cycle && timer.StepsSent == plan.Decision.Step
                ? new(timer.StepsSent + 1, timer.DueAt)
                : new(plan.Decision.Step + 1, due);
        }

        var status = plan.Decision switch
        {
            { Action: FollowUpAction.Wait } => "scheduled",
            { Action: FollowUpAction.Send } => "due",
            { Action: FollowUpAction.Cancel } => "paused",
            { Reason: "cadence_done" } => "nurture",
            _ => "finished",
        };
        return new(cycle, status, plan.Decision.Reason, steps, progress.StepsSent, next, status == "nurture", sent);
    }

    /// <summary>The cycle and step from the item's idempotency key (<see cref="FollowUpService.IdempotencyKeyFor"/>).</summary>
    private static SentFollowUp? Parse(OutboxItem item)
    {
        var parts = item.IdempotencyKey.Split(':');
        return parts is ["follow-up", _, var cycle, var step] && int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? new(item.Id, cycle, n + 1, item.Channel, item.Status, item.Error, item.CreatedAt, item.UpdatedAt)
            : null;
    }
}

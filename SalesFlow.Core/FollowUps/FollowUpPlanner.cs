namespace SalesFlow.Core.FollowUps;

/// <summary>
/// What the planner needs to know about one lead, read from the stores by the caller (a store timer sweep or a
/// Durable activity). A cycle is one unanswered reply: <see cref="Cycle"/> names it (the reply's outbox id),
/// <see cref="RepliedAt"/> is when it was written.
/// </summary>
/// <param name="StepsSent">How many steps of this cycle are done (sent, or recorded as skipped for want of a channel).</param>
/// <param name="LastStepAt">When the last of them was done; null before the first.</param>
/// <param name="LeadWroteAt">The lead's latest message (the conversation's last inbound time).</param>
/// <param name="Won">The conversation reached a won outcome (post-purchase): no more selling.</param>
/// <param name="TimeZone">The lead's IANA time zone (<see cref="Reach.LeadTimeZone"/>); null reads the quiet hours in UTC.</param>
/// <param name="CheckBackAt">When the lead asked to be written to again (<see cref="CheckBack"/>): the cycle's first step waits until then.</param>
/// <param name="ReplyClosed">The reply closed the conversation (a vendor's pitch, a job application, a wrong number): nothing to follow up.</param>
public sealed record FollowUpFacts(
    string Cycle,
    DateTimeOffset RepliedAt,
    int StepsSent,
    DateTimeOffset? LastStepAt,
    DateTimeOffset? LeadWroteAt,
    bool OptedOut,
    bool Escalated,
    bool Won,
    string? TimeZone,
    DateTimeOffset? CheckBackAt,
    bool ReplyClosed);

public enum FollowUpAction
{
    /// <summary>The next step is due at <see cref="FollowUpDecision.DueAt"/>, later than now: wait for it.</summary>
    Wait,

    /// <summary>The next step is due now: send it.</summary>
    Send,

    /// <summary>The lead wrote back: this cycle's follow-ups are cancelled (their next reply starts a new cycle).</summary>
    Cancel,

    /// <summary>Nothing more for this lead: opted out, escalated to a human, won, the reply closed the conversation, or the cadence is done.</summary>
    Finish,
}

/// <summary>The planner's answer; serialisable (a Durable activity returns it to the orchestrator).</summary>
/// <param name="Step">The 0-based step the decision is about (for Wait and Send).</param>
/// <param name="Reason">Why, in a word: due, waiting, lead_replied, opted_out, escalated, won, closed, cadence_done.</param>
public sealed record FollowUpDecision(FollowUpAction Action, int Step, DateTimeOffset? DueAt, string Reason);

/// <summary>
/// Decides what comes next for a lead who has not answered a reply: wait for the next step of the cadence, send it,
/// cancel (the lead wrote back) or finish. Plain and deterministic (no clock, no I/O): the same facts and the same
/// <c>now</c> give the same decision, so the Durable orchestrator and the store timer sweep share it.
/// </summary>
public static class FollowUpPlanner
{
    public static FollowUpDecision Decide(FollowUpFacts facts, FollowUpCadence cadence, QuietHours quiet, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.OptedOut)
        {
            return new(FollowUpAction.Finish, facts.StepsSent, null, "opted_out");
        }

        if (facts.Escalated)
        {
            return new(FollowUpAction.Finish, facts.StepsSent, null, "escalated");
        }

        if (facts.Won)
        {
            return new(FollowUpAction.Finish, facts.StepsSent, null, "won");
        }

        if (facts.ReplyClosed)
        {
            return new(FollowUpAction.Finish, facts.StepsSent, null, "closed");
        }

        if (facts.LeadWroteAt > facts.RepliedAt)
        {
            return new(FollowUpAction.Cancel, facts.StepsSent, null, "lead_replied");
        }

        if (facts.StepsSent >= cadence.Count)
        {
            return new(FollowUpAction.Finish, facts.StepsSent, null, "cadence_done");
        }

        var due = DueAt(facts, cadence, quiet);
        if (due > now)
        {
            return new(FollowUpAction.Wait, facts.StepsSent, due, "waiting");
        }

        // Overdue (the app was down, or a quiet night ended): still never inside the quiet hours.
        var sendable = quiet.MoveOut(now, ZoneOf(facts.TimeZone));
        return sendable > now
            ? new(FollowUpAction.Wait, facts.StepsSent, sendable, "waiting")
            : new(FollowUpAction.Send, facts.StepsSent, due, "due");
    }

    /// <summary>
    /// When the next step is due: its offset after the reply, and no sooner after the previous step than the cadence
    /// spaces them (after a downtime the overdue steps do not all go out in one sweep), moved out of the quiet hours.
    /// </summary>
    public static DateTimeOffset DueAt(FollowUpFacts facts, FollowUpCadence cadence, QuietHours quiet)
    {
        var step = facts.StepsSent;
        // A lead that asked to hear from us next week gets the first step then, the rest spaced as the cadence spaces them.
        var origin = facts.CheckBackAt is { } asked && asked - cadence.Offsets[0] > facts.RepliedAt ? asked - cadence.Offsets[0] : facts.RepliedAt;
        var due = origin + cadence.Offsets[step];
        if (step > 0 && facts.LastStepAt is { } last)
        {
            var spaced = last + (cadence.Offsets[step] - cadence.Offsets[step - 1]);
            due = spaced > due ? spaced : due;
        }

        return quiet.MoveOut(due, ZoneOf(facts.TimeZone));
    }

    /// <summary>The IANA zone, or UTC when it is unknown or not on this machine.</summary>
    public static TimeZoneInfo ZoneOf(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

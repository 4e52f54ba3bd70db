namespace SalesFlow.Core.Conversations;

/// <summary>
/// What happens in a lead's conversation, told to whatever drives it: standalone, the process-inbound queue and the
/// store's follow-up timers (<see cref="FollowUps.StoreTimerConversationSignals"/>); under the Functions host, the lead's
/// Durable orchestration (an external event).
/// </summary>
public interface ILeadConversationSignals
{
    /// <summary>The lead wrote a message that waits for its turn (answer it after <paramref name="burstWindow"/>; stop waiting to follow up).</summary>
    /// <param name="leadIsNew">The message created the lead just now: no follow-up can be waiting for them.</param>
    Task MessageArrivedAsync(string clientId, string leadId, TimeSpan burstWindow, bool leadIsNew, CancellationToken ct);

    /// <summary>A turn ran outside the driver (the process-inbound queue, a sweep): plan the lead's next follow-up.</summary>
    /// <param name="turn">What the turn did, when it answered something: its lead, conversation and reply are the plan's facts
    /// (not read again); null (nothing answered, or a re-run after the turn committed) plans from the stores.</param>
    Task TurnCompletedAsync(string clientId, string leadId, TurnResult? turn, CancellationToken ct);
}

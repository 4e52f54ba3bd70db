namespace SalesFlow.Core.Conversations;

/// <summary>
/// What happens in a lead's conversation, told to whatever drives it: standalone, the process-inbound queue and the
/// store's follow-up timers (<see cref="FollowUps.StoreTimerConversationSignals"/>); under the Functions host, the lead's
/// Durable orchestration (an external event).
/// </summary>
public interface ILeadConversationSignals
{
    /// <summary>The lead wrote a message that waits for its turn (answer it after <paramref name="burstWindow"/>; stop waiting to follow up).</summary>
    Task MessageArrivedAsync(string clientId, string leadId, TimeSpan burstWindow, CancellationToken ct);

    /// <summary>A turn ran outside the driver (the process-inbound queue, a sweep): plan the lead's next follow-up.</summary>
    Task TurnCompletedAsync(string clientId, string leadId, CancellationToken ct);
}

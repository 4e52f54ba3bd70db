namespace SalesFlow.Core.FollowUps;

/// <summary>A lead's one follow-up timer in the store (the standalone driver): due at <see cref="DueAt"/> with this progress.</summary>
public sealed record FollowUpTimer
{
    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    public required string Cycle { get; init; }
    public int StepsSent { get; init; }
    public DateTimeOffset? LastStepAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>Opaque version for guarded writes.</summary>
    public string ETag { get; init; } = "";

    public FollowUpProgress Progress => new(Cycle, StepsSent, LastStepAt);
}

/// <summary>
/// The follow-up timers of the standalone driver, at most one per lead. A sweep claims a due timer by a guarded write
/// that moves its due time past a lease (<see cref="TryReplaceAsync"/>): of two sweeps only one wins, and a sweep that
/// crashes leaves a timer that falls due again when the lease ends.
/// </summary>
public interface IFollowUpTimerStore
{
    /// <summary>Sets the lead's timer, replacing whatever is there (a fresh plan after a turn wins over a sweep's claim).</summary>
    Task<FollowUpTimer> SetAsync(FollowUpTimer timer, CancellationToken ct);

    Task<FollowUpTimer?> GetAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Removes the lead's timer whatever its version; false when there was none.</summary>
    Task<bool> CancelAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Timers of every client due at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<FollowUpTimer>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>The timers of one client (due or scheduled), earliest first: what the console's operations page lists.</summary>
    Task<IReadOnlyList<FollowUpTimer>> ListForClientAsync(string clientId, int limit, CancellationToken ct);

    /// <summary>Replaces the timer only if it is still at <c>timer.ETag</c>; null when it changed or went meanwhile.</summary>
    Task<FollowUpTimer?> TryReplaceAsync(FollowUpTimer timer, CancellationToken ct);

    /// <summary>Removes the timer only if it is still at <c>timer.ETag</c>.</summary>
    Task<bool> TryRemoveAsync(FollowUpTimer timer, CancellationToken ct);
}

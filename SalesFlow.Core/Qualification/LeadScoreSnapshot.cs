namespace SalesFlow.Core.Qualification;

/// <summary>
/// A lead's score as last computed (after its latest turn, or by the score-refresh timer as it goes quiet), with what the
/// lead list filters and sorts on. The one place a lead's temperature lives: <see cref="Temperature"/> (from the
/// probability); the BANT traffic light is only BANT's own band.
/// </summary>
/// <param name="Model">"prior" (hand-set weights) or "learnt" (fitted on the client's won/lost outcomes).</param>
/// <param name="ModelOutcomes">Outcomes the learnt weights were fitted on; 0 for the priors.</param>
/// <param name="State">The conversation state's wire name; null before the first turn.</param>
/// <param name="LastActivityAt">The lead's latest message (or its creation when silent): what recency decays from.</param>
public sealed record LeadScoreSnapshot(
    string ClientId,
    string LeadId,
    LeadScoreResult Score,
    LeadScoreFeatures Features,
    string Model,
    int ModelOutcomes,
    DateTimeOffset ComputedAt,
    string? Name,
    string? Email,
    string? Phone,
    string? State,
    IReadOnlyList<string> Channels,
    string? LastMessageText,
    DateTimeOffset? LastMessageAt,
    bool Escalated,
    bool OptedOut,
    DateTimeOffset LeadCreatedAt,
    DateTimeOffset LastActivityAt)
{
    /// <summary>inbound (the lead wrote last) or outbound; null in snapshots stored before it was kept.</summary>
    public string? LastMessageDirection { get; init; }

    public const string Prior = "prior";
    public const string Learnt = "learnt";

    /// <summary>Lower-case name, e-mail and phone: what <c>q</c> searches.</summary>
    public string SearchText => string.Join(' ', new[] { Name, Email, Phone }.OfType<string>()).ToLowerInvariant();

    /// <summary>The sort key of this row for <paramref name="sort"/>: fixed-width and ending in the lead id, so an ordinal string order is the list order and no two rows tie.</summary>
    public string SortKey(LeadSort sort) => sort switch
    {
        // Invariant: the key is stored, so it must not depend on the culture of the process that wrote it.
        LeadSort.Score => FormattableString.Invariant($"{Score.Probability:0.000000}\u0001{LeadId}"),
        LeadSort.Updated => FormattableString.Invariant($"{LastActivityAt.ToUnixTimeMilliseconds():D15}\u0001{LeadId}"),
        LeadSort.Created => FormattableString.Invariant($"{LeadCreatedAt.ToUnixTimeMilliseconds():D15}\u0001{LeadId}"),
        // Nameless leads after every name.
        _ => $"{(string.IsNullOrWhiteSpace(Name) ? "\uffff" : Truncated(Name.Trim().ToLowerInvariant()))}\u0001{LeadId}",
    };

    /// <summary>Names sort by their first 40 characters: the key stays short enough for a cursor.</summary>
    private static string Truncated(string name) => name.Length <= 40 ? name : name[..40];
}

/// <summary>What the lead list sorts by.</summary>
public enum LeadSort
{
    Score,
    Updated,
    Created,
    Name,
}

/// <summary>
/// One page request of the lead list. <paramref name="After"/> is the sort key of the previous page's last row
/// (<see cref="LeadScoreSnapshot.SortKey"/>); the next page starts strictly after it in the requested direction.
/// </summary>
/// <param name="Query">Lower-case text that name, e-mail or phone must contain.</param>
public sealed record LeadListQuery(string? Temperature, string? State, string? Query, LeadSort Sort, bool Descending, string? After, int Limit);

/// <summary>Stored score snapshots, one per lead; every call is scoped to one client except the timer's stale listing.</summary>
public interface ILeadScoreStore
{
    Task<LeadScoreSnapshot?> GetAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Stores the snapshot unless a newer one (later <see cref="LeadScoreSnapshot.ComputedAt"/>) is stored already: a slow timer run never overwrites a turn's fresher score. Returns whether it was stored.</summary>
    Task<bool> SaveAsync(LeadScoreSnapshot snapshot, CancellationToken ct);

    /// <summary>Snapshots computed before <paramref name="computedBefore"/>, of every client, oldest first.</summary>
    Task<IReadOnlyList<LeadScoreSnapshot>> ListStaleAsync(DateTimeOffset computedBefore, int limit, CancellationToken ct);

    /// <summary>Up to <see cref="LeadListQuery.Limit"/> rows of the client's lead list, filtered, in the requested order, after <see cref="LeadListQuery.After"/>.</summary>
    Task<IReadOnlyList<LeadScoreSnapshot>> ListAsync(string clientId, LeadListQuery query, CancellationToken ct);
}

namespace SalesFlow.Core.Crm;

/// <summary>
/// Where a lead stands in the client's CRM: the ids HubSpot gave its contact and deal (stored right after each is
/// created, so a re-run never creates a second), what was last synced, and the last failure. One per lead, changed only
/// by ETag-guarded writes (an empty <see cref="ETag"/> means "not stored yet").
/// </summary>
public sealed record CrmLink
{
    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    public string? ContactId { get; init; }
    public string? DealId { get; init; }

    /// <summary>The deal stage last set by us (the deal is moved only when the mapped stage differs).</summary>
    public string? DealStage { get; init; }

    public DateTimeOffset? LastSyncedAt { get; init; }

    /// <summary>The conversation state (wire name) the last complete sync wrote.</summary>
    public string? LastSyncedState { get; init; }

    /// <summary>What the last note logged covered (state and meetings); a new note is logged only when this changes.</summary>
    public string? LastNoteKey { get; init; }

    /// <summary>Why the last sync failed; null once a sync succeeds.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastFailedAt { get; init; }

    /// <summary>True when retrying cannot help (a 4xx: bad token, missing scope, bad stage id): the next event tries again, the timer does not.</summary>
    public bool ErrorIsPermanent { get; init; }

    /// <summary>Failed syncs in a row.</summary>
    public int Attempts { get; init; }

    /// <summary>When the retry timer may queue a failed sync again (transient failures only).</summary>
    public DateTimeOffset? NextRetryAt { get; init; }

    /// <summary>
    /// A sync of this lead is running until then (a lease taken by an ETag-guarded write): two syncs of one lead at once
    /// (the hot event's and the state change's) would both search, find nothing and create two contacts.
    /// </summary>
    public DateTimeOffset? SyncingUntil { get; init; }

    public string ETag { get; init; } = "";

    public static CrmLink New(string clientId, string leadId) => new() { ClientId = clientId, LeadId = leadId };
}

/// <summary>Where CRM links live. Every call is scoped to one client, except the retry timer's sweep.</summary>
public interface ICrmLinkStore
{
    Task<CrmLink?> GetAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>The link whose deal is <paramref name="dealId"/> (a HubSpot webhook names the deal).</summary>
    Task<CrmLink?> FindByDealAsync(string clientId, string dealId, CancellationToken ct);

    /// <summary>
    /// Creates the link when its ETag is empty, else replaces it if still at that ETag. Throws
    /// <see cref="Common.ConcurrencyException"/> when another writer got there first. Returns it with its new ETag.
    /// </summary>
    Task<CrmLink> SaveAsync(CrmLink link, CancellationToken ct);

    /// <summary>Links (any client) whose last sync failed transiently and whose retry is due at <paramref name="now"/>, soonest first.</summary>
    Task<IReadOnlyList<CrmLink>> ListRetryDueAsync(DateTimeOffset now, int max, CancellationToken ct);
}

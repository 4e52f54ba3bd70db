namespace SalesFlow.Core.Crm;

/// <summary>Whose CRM: the client and the credential its CRM takes (HubSpot: a private app's access token).</summary>
public sealed record CrmAccount(string ClientId, string AccessToken);

/// <summary>A custom contact property SalesFlow writes (created in the CRM once, when missing).</summary>
/// <param name="Type">"string" or "number".</param>
/// <param name="FieldType">"text", "textarea" or "number".</param>
public sealed record CrmPropertyDefinition(string Name, string Label, string Type, string FieldType, string Description);

/// <summary>A deal to open for a contact: its name, and where in which pipeline it starts.</summary>
public sealed record CrmDeal(string Name, string PipelineId, string StageId);

/// <summary>A note on the contact's (and the deal's, when there is one) timeline.</summary>
public sealed record CrmNote(string Body, DateTimeOffset At, string ContactId, string? DealId);

/// <summary>The contact the upsert found or created.</summary>
public sealed record CrmContactResult(string ContactId, bool Created);

/// <summary>
/// The port to a CRM (HubSpot CRM v3 in production). Every call may throw <see cref="CrmException"/>; none retries on
/// its own (the sync work item is queued again instead, so no worker waits out a rate limit).
/// </summary>
public interface ICrmGateway
{
    /// <summary>Creates those of <paramref name="properties"/> the account lacks (once per account and process; a repeat is cheap).</summary>
    Task EnsureContactPropertiesAsync(CrmAccount account, IReadOnlyList<CrmPropertyDefinition> properties, CancellationToken ct);

    /// <summary>
    /// Updates the contact <paramref name="knownContactId"/> when given and still there; otherwise searches by e-mail, then
    /// by phone, and updates the one found, or creates it. Search before create: a re-run after a crash that lost the id finds it.
    /// </summary>
    Task<CrmContactResult> UpsertContactAsync(CrmAccount account, string? knownContactId, string? email, string? phone, IReadOnlyDictionary<string, string> properties, CancellationToken ct);

    /// <summary>A deal of the contact in the pipeline (one created before a crash lost its id), or null.</summary>
    Task<string?> FindDealAsync(CrmAccount account, string contactId, string pipelineId, CancellationToken ct);

    /// <summary>Creates the deal associated with the contact; returns its id.</summary>
    Task<string> CreateDealAsync(CrmAccount account, string contactId, CrmDeal deal, CancellationToken ct);

    Task MoveDealAsync(CrmAccount account, string dealId, string stageId, CancellationToken ct);

    Task LogNoteAsync(CrmAccount account, CrmNote note, CancellationToken ct);
}

/// <summary>
/// The CRM refused or could not be reached. <see cref="Permanent"/>: retrying cannot help (a 4xx: bad token, missing
/// scope, unknown stage); otherwise (429, 5xx, no connection) it may pass, no sooner than <see cref="RetryAfter"/>.
/// </summary>
public sealed class CrmException(string message, bool permanent, TimeSpan? retryAfter = null, int? status = null, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The HTTP status, when the CRM answered.</summary>
    public int? Status { get; } = status;
}

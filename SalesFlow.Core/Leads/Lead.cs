namespace SalesFlow.Core.Leads;

/// <summary>A person who wrote to a client, on any channel.</summary>
public sealed record Lead
{
    public required string Id { get; init; }
    public required string ClientId { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Language { get; init; }

    /// <summary>The IANA zone the lead said they are in (<see cref="StatedTimeZone"/>); null until they say.</summary>
    public string? TimeZone { get; init; }

    /// <summary>A human must take over: no automatic replies until released.</summary>
    public bool Escalated { get; init; }
    public string? EscalationReason { get; init; }

    /// <summary>The lead said STOP: nothing more is sent until they opt back in.</summary>
    public bool OptedOut { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Opaque version for ETag-guarded writes.</summary>
    public string ETag { get; init; } = "";

    /// <summary>How messages address the lead (<see cref="PersonName.AddressOf"/>): "Anna", "Dr. Patel".</summary>
    public string? AddressedAs => PersonName.AddressOf(Name);

    public Lead Escalate(string reason, DateTimeOffset now) => this with { Escalated = true, EscalationReason = reason, UpdatedAt = now };

    public Lead Release(DateTimeOffset now) => this with { Escalated = false, EscalationReason = null, UpdatedAt = now };
}

/// <summary>How a lead is reached: an E.164 phone number (SMS and WhatsApp alike) or an e-mail address.</summary>
public enum IdentityKind
{
    Phone,
    Email,
}

public sealed record ChannelIdentity(string ClientId, IdentityKind Kind, string Value, string LeadId, DateTimeOffset CreatedAt);

public interface ILeadStore
{
    Task<Lead?> GetAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>
    /// Returns the lead owning the identity, creating both when none does. Safe under concurrent
    /// calls for the same identity: every caller gets the same lead.
    /// </summary>
    Task<(Lead Lead, bool Created)> GetOrCreateByIdentityAsync(string clientId, IdentityKind kind, string value, Func<Lead> newLead, CancellationToken ct);

    /// <summary>Links an identity to a lead if no lead owns it yet; returns the owner.</summary>
    Task<string> LinkIdentityAsync(string clientId, IdentityKind kind, string value, string leadId, CancellationToken ct);

    /// <summary>The lead that owns the identity, or null.</summary>
    Task<string?> FindIdentityOwnerAsync(string clientId, IdentityKind kind, string value, CancellationToken ct);

    Task<IReadOnlyList<ChannelIdentity>> ListIdentitiesAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>ETag-guarded replace; throws <see cref="Common.ConcurrencyException"/> when the lead changed meanwhile.</summary>
    Task<Lead> ReplaceAsync(Lead lead, CancellationToken ct);

    Task<EmailClaim?> GetEmailClaimAsync(string clientId, string leadId, string address, CancellationToken ct);

    /// <summary>The lead's claims, oldest first.</summary>
    Task<IReadOnlyList<EmailClaim>> ListEmailClaimsAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>The claim whose link carries this token, within the client only.</summary>
    Task<EmailClaim?> FindEmailClaimByTokenAsync(string clientId, string token, CancellationToken ct);

    /// <summary>
    /// Inserts a claim (empty ETag) or replaces the stored one at its ETag; throws <see cref="Common.ConcurrencyException"/>
    /// when another writer got there first. Returns the claim with its new ETag.
    /// </summary>
    Task<EmailClaim> SaveEmailClaimAsync(EmailClaim claim, CancellationToken ct);

    /// <summary>
    /// Merges <paramref name="otherLeadId"/> into <paramref name="intoLeadId"/>: the other lead's identities move over and
    /// the merge is recorded (its audit record). Both leads' records, conversations and messages stay as they are. A
    /// repeated call returns the first record and finishes moving identities an interrupted call left behind.
    /// </summary>
    Task<LeadMerge> MergeAsync(string clientId, string intoLeadId, string otherLeadId, string mergedBy, DateTimeOffset at, CancellationToken ct);

    /// <summary>Where the lead was merged into, or null.</summary>
    Task<LeadMerge?> FindMergeAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>The leads merged into this one, oldest first.</summary>
    Task<IReadOnlyList<LeadMerge>> ListMergedIntoAsync(string clientId, string intoLeadId, CancellationToken ct);
}

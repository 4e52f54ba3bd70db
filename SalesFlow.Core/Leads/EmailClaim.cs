namespace SalesFlow.Core.Leads;

/// <summary>Where an e-mail address a lead typed in chat stands.</summary>
public static class EmailClaimStatus
{
    /// <summary>A confirmation e-mail went out; the address routes nothing until its code or link comes back.</summary>
    public const string Pending = "pending";

    /// <summary>The address proved it: it is the lead's e-mail identity.</summary>
    public const string Verified = "verified";

    /// <summary>Another lead already owns the address: never linked, a rep decides (and can merge the two leads).</summary>
    public const string Conflict = "conflict";
}

/// <summary>
/// An e-mail address a lead wrote in chat, one per lead and address. Anyone can type anyone's address, so it is only
/// a claim: it never routes inbound e-mail and merges nothing until the confirmation e-mail's code is returned in chat
/// or its link is opened. The code and token are also in that e-mail's outbox item, so they are kept as they are (a
/// re-run turn rebuilds the same e-mail from them).
/// </summary>
public sealed record EmailClaim
{
    /// <summary>Wrong codes a claim takes before it is dead (a 6-digit code: a brute force needs ~200,000 claims).</summary>
    public const int MaxAttempts = 5;

    /// <summary>How long a code and link are good for.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    public required string Address { get; init; }

    /// <summary>New for every confirmation e-mail: its outbox idempotency key derives from it.</summary>
    public required string Id { get; init; }
    public required string Code { get; init; }
    public required string Token { get; init; }
    public string Status { get; init; } = EmailClaimStatus.Pending;
    public int Attempts { get; init; }

    /// <summary>The lead that owns the address, for <see cref="EmailClaimStatus.Conflict"/>.</summary>
    public string? ConflictLeadId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>Opaque version for guarded writes; empty for a claim not stored yet.</summary>
    public string ETag { get; init; } = "";

    /// <summary>Its code or link can still verify it.</summary>
    public bool IsOpen(DateTimeOffset now) => Status == EmailClaimStatus.Pending && now < ExpiresAt && Attempts < MaxAttempts;
}

/// <summary>The audit record of a rep merging <see cref="LeadId"/> into <see cref="IntoLeadId"/>.</summary>
public sealed record LeadMerge(string ClientId, string LeadId, string IntoLeadId, string MergedBy, DateTimeOffset MergedAt);

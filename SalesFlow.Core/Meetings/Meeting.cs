namespace SalesFlow.Core.Meetings;

/// <summary>A bookable time, as the scheduler offers it (UTC instants; shown in the lead's zone).</summary>
public sealed record MeetingSlot(DateTimeOffset Start, DateTimeOffset End);

public static class MeetingStatus
{
    /// <summary>Written before the scheduler call: a run that dies mid-call leaves this, and the next run reconciles it with the scheduler instead of booking twice.</summary>
    public const string Requested = "requested";
    public const string Booked = "booked";
    public const string Cancelled = "cancelled";
    /// <summary>The scheduler refused it (the slot was taken meanwhile, a 4xx); <see cref="Meeting.Error"/> says why.</summary>
    public const string Failed = "failed";
}

public static class MeetingProviders
{
    public const string CalCom = "calcom";
    /// <summary>SalesFlow's own calendar: a client without Cal.com still gets meetings booked (business hours, no double booking).</summary>
    public const string Embedded = "embedded";
}

/// <summary>A meeting booked (or being booked) for a lead.</summary>
public sealed record Meeting
{
    public required string Id { get; init; }
    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    /// <summary><see cref="MeetingProviders"/>.</summary>
    public required string Provider { get; init; }
    /// <summary>The provider's id of the booking (Cal.com's booking uid); null until booked.</summary>
    public string? ExternalId { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    /// <summary>The IANA zone the lead is shown times in.</summary>
    public required string TimeZone { get; init; }
    public required string Language { get; init; }
    /// <summary><see cref="MeetingStatus"/>.</summary>
    public string Status { get; init; } = MeetingStatus.Requested;
    public string? AttendeeName { get; init; }
    public string? AttendeeEmail { get; init; }
    public string? AttendeePhone { get; init; }
    /// <summary>Where to meet (a video link), when the provider gives one.</summary>
    public string? Location { get; init; }
    /// <summary>The same booking intent always carries the same key (e.g. "book/&lt;leadId&gt;/&lt;message seq&gt;"); a second save with it finds the first.</summary>
    public required string IdempotencyKey { get; init; }
    public string? CancelReason { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Opaque version for ETag-guarded writes.</summary>
    public string ETag { get; init; } = "";

    public bool IsActive => Status is MeetingStatus.Requested or MeetingStatus.Booked;
}

/// <summary>The slots SalesFlow last offered a lead, in the order it offered them ("the first one" is <c>Slots[0]</c>).</summary>
/// <param name="ThroughSeq">The last inbound message the offer answered: a later message is read against it.</param>
public sealed record SlotOffer(string ClientId, string LeadId, IReadOnlyList<MeetingSlot> Slots, string TimeZone, string Language, DateTimeOffset OfferedAt, long ThroughSeq);

/// <summary>What a booking asks of the scheduler.</summary>
/// <param name="IdempotencyKey">The meeting's key: an adapter that can send one does, and it identifies a booking on reconciliation.</param>
public sealed record BookingRequest(string IdempotencyKey, MeetingSlot Slot, string Name, string? Email, string? Phone, string TimeZone, string Language, string? Notes);

/// <summary>What the scheduler booked.</summary>
public sealed record BookedMeeting(string Provider, string ExternalId, DateTimeOffset Start, DateTimeOffset End, string? Location);

/// <summary>
/// The scheduler refused or could not be reached. <see cref="Permanent"/>: retrying cannot help (the slot is taken, a
/// 4xx); otherwise (429, 5xx, no connection) it may pass, no sooner than <see cref="RetryAfter"/>.
/// </summary>
public sealed class SchedulingException(string message, bool permanent, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

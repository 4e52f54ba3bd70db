namespace SalesFlow.Core.Meetings;

/// <summary>Meetings and slot offers, per client; every read and write is scoped by client id.</summary>
public interface IMeetingStore
{
    Task<Meeting?> GetAsync(string clientId, string meetingId, CancellationToken ct);

    /// <summary>The lead's meetings, newest start first.</summary>
    Task<IReadOnlyList<Meeting>> ListForLeadAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>The meeting whose provider booking id is <paramref name="externalId"/> (a webhook names the booking).</summary>
    Task<Meeting?> FindByExternalIdAsync(string clientId, string externalId, CancellationToken ct);

    /// <summary>Inserts unless a meeting with the same idempotency key exists; returns the stored one.</summary>
    Task<(Meeting Meeting, bool Created)> AddAsync(Meeting meeting, CancellationToken ct);

    /// <summary>ETag-guarded replace; throws <see cref="Common.ConcurrencyException"/> when it changed meanwhile.</summary>
    Task<Meeting> ReplaceAsync(Meeting meeting, CancellationToken ct);

    Task<SlotOffer?> GetOfferAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Replaces the lead's offer (one per lead).</summary>
    Task SaveOfferAsync(SlotOffer offer, CancellationToken ct);

    Task DeleteOfferAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Meetings of the client booked (created) in [<paramref name="from"/>, <paramref name="to"/>) (the daily summary counts them).</summary>
    Task<int> CountBookedAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>The embedded calendar's busy times: active meetings of the client overlapping [<paramref name="from"/>, <paramref name="to"/>).</summary>
    Task<IReadOnlyList<Meeting>> ListActiveBetweenAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}

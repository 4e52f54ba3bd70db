namespace SalesFlow.Core.Alerts;

/// <summary>The lead events the daily summary counts that no other record dates (wire names).</summary>
public static class ActivityKind
{
    public const string BecameHot = "became_hot";
    public const string Escalated = "escalated";
    public const string OptedOut = "opted_out";
}

/// <summary>What happened for a client in a time range (the daily summary's figures, meetings and AI cost aside).</summary>
public sealed record ActivityCounts(int NewLeads, int HotLeads, int Escalations, int OptOuts, int RepliesSent);

/// <summary>
/// The daily summary's store port: records the lead events no other record dates (once per event, by its idempotency
/// key; only the kind and the time are kept, nothing that names the lead, so erasure has nothing to remove), and counts
/// a client's activity over [from, to). Every query is scoped to one client.
/// </summary>
public interface IActivityReport
{
    /// <summary>Records one occurrence; the same <paramref name="eventKey"/> again changes nothing.</summary>
    Task RecordAsync(string clientId, string kind, string eventKey, DateTimeOffset at, CancellationToken ct);

    /// <summary>
    /// Leads created, recorded hot/escalated/opted-out events, and replies (outbox purpose reply) that went out
    /// (sent, delivered or read), each with its time in [<paramref name="from"/>, <paramref name="to"/>).
    /// </summary>
    Task<ActivityCounts> CountAsync(string clientId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);

    /// <summary>Every client's id (the summary timer visits each).</summary>
    Task<IReadOnlyList<string>> ListClientIdsAsync(CancellationToken ct);
}

namespace SalesFlow.Core.Ai.Usage;

/// <summary>Why a model was called; the wire names are the lower-case names.</summary>
public static class AiPurpose
{
    public const string Reply = "reply";
    public const string Analysis = "analysis";
    public const string Summary = "summary";
    public const string Embedding = "embedding";
    public const string Coach = "coach";
}

/// <summary>One model call: who it was for, what it cost and how long it took.</summary>
/// <param name="LeadId">Null for calls that serve the client as a whole (knowledge ingestion, a rep asking the coach).</param>
/// <param name="Succeeded">False when the call failed (it may still have cost input tokens; usually 0).</param>
public sealed record AiUsageRecord(
    string Id,
    string ClientId,
    string? LeadId,
    string Model,
    string Purpose,
    long InputTokens,
    long OutputTokens,
    decimal CostUsd,
    double LatencyMs,
    bool Succeeded,
    DateTimeOffset CreatedAt);

/// <summary>Totals over a set of calls.</summary>
public sealed record UsageTotals(long Calls, long InputTokens, long OutputTokens, decimal CostUsd)
{
    public static UsageTotals Zero { get; } = new(0, 0, 0, 0m);

    public long TotalTokens => InputTokens + OutputTokens;
}

/// <summary>Totals of a lead or a client, overall and per model.</summary>
public sealed record UsageSummary(string ClientId, string? LeadId, DateTimeOffset? Since, UsageTotals Total, IReadOnlyDictionary<string, UsageTotals> ByModel, IReadOnlyDictionary<string, UsageTotals> ByPurpose);

/// <summary>Where model calls are recorded. Every query is scoped to one client.</summary>
public interface IUsageStore
{
    Task AddAsync(AiUsageRecord record, CancellationToken ct);

    /// <summary>The newest calls of a client (or of one of its leads), newest first.</summary>
    Task<IReadOnlyList<AiUsageRecord>> ListAsync(string clientId, string? leadId, int limit, CancellationToken ct);

    /// <summary>Totals for one lead of a client.</summary>
    Task<UsageSummary> SummarizeLeadAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Totals for a client since a point in time (null: ever).</summary>
    Task<UsageSummary> SummarizeClientAsync(string clientId, DateTimeOffset? since, CancellationToken ct);

    /// <summary>GDPR erasure: removes every record naming the lead; returns how many.</summary>
    Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct);
}

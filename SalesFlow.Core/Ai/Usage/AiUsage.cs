namespace SalesFlow.Core.Ai.Usage;

/// <summary>Why a model was called; the wire names are the lower-case names.</summary>
public static class AiPurpose
{
    public const string Reply = "reply";
    public const string Analysis = "analysis";
    public const string Summary = "summary";
    public const string Embedding = "embedding";
    public const string Coach = "coach";
    /// <summary>A message SalesFlow starts: a lead's first contact or a follow-up step.</summary>
    public const string Outreach = "outreach";
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

/// <summary>Totals of a client (or one lead) over a time range, per model, purpose and lead.</summary>
/// <param name="ByLead">Per lead, the most expensive first (at most <see cref="MaxLeads"/>); calls for no lead are under "".</param>
public sealed record UsageReport(
    string ClientId,
    string? LeadId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    UsageTotals Total,
    IReadOnlyDictionary<string, UsageTotals> ByModel,
    IReadOnlyDictionary<string, UsageTotals> ByPurpose,
    IReadOnlyDictionary<string, UsageTotals> ByLead)
{
    public const int MaxLeads = 500;

    /// <summary>Builds the report from per (model, purpose, lead) totals.</summary>
    public static UsageReport Build(string clientId, string? leadId, DateTimeOffset? from, DateTimeOffset? to, IEnumerable<(string Model, string Purpose, string? LeadId, UsageTotals Totals)> rows)
    {
        var all = rows.ToList();
        return new UsageReport(
            clientId,
            leadId,
            from,
            to,
            Sum(all.Select(r => r.Totals)),
            all.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => Sum(g.Select(r => r.Totals))),
            all.GroupBy(r => r.Purpose).ToDictionary(g => g.Key, g => Sum(g.Select(r => r.Totals))),
            all.GroupBy(r => r.LeadId ?? "")
                .Select(g => (g.Key, Totals: Sum(g.Select(r => r.Totals))))
                .OrderByDescending(x => x.Totals.CostUsd).ThenByDescending(x => x.Totals.TotalTokens)
                .Take(MaxLeads)
                .ToDictionary(x => x.Key, x => x.Totals));
    }

    public static UsageTotals Sum(IEnumerable<UsageTotals> all) =>
        all.Aggregate(UsageTotals.Zero, (a, b) => new UsageTotals(a.Calls + b.Calls, a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, a.CostUsd + b.CostUsd));
}

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

    /// <summary>Totals for a client, or one of its leads, with calls from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive).</summary>
    Task<UsageReport> ReportAsync(string clientId, string? leadId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct);

    /// <summary>GDPR erasure: removes every record naming the lead; returns how many.</summary>
    Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct);
}

namespace SalesFlow.Core.Analytics;

/// <summary>
/// The pre-aggregated analytics: counters per client × UTC day × metric × dimension, and one small row per lead (its
/// flags, <see cref="LeadAnalytics"/>) so a lead counts once. Every call is scoped to one client.
/// </summary>
public interface IAnalyticsStore
{
    /// <summary>
    /// Counts <paramref name="record"/> once: when its key was seen before nothing changes (false). Otherwise the lead's
    /// observation is merged into its row (<see cref="AnalyticsAggregation.Apply"/>) and the row's changes and the
    /// record's own counters are added.
    /// </summary>
    Task<bool> RecordAsync(AnalyticsRecord record, CancellationToken ct);

    /// <summary>Totals of the given metrics over the UTC days [<paramref name="from"/>, <paramref name="to"/>] (both inclusive).</summary>
    Task<IReadOnlyList<CounterTotal>> TotalsAsync(string clientId, IReadOnlyCollection<string> metrics, DateOnly from, DateOnly to, CancellationToken ct);

    Task<LeadAnalytics?> GetLeadAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Erasure: removes the lead's row (the counters name no lead and stay); returns how many rows went.</summary>
    Task<int> EraseLeadAsync(string clientId, string leadId, CancellationToken ct);
}

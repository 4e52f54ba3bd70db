namespace SalesFlow.Core.Recommendations;

/// <summary>What a list of recommendations is narrowed to; null filters match everything.</summary>
public sealed record RecommendationFilter(string? Status = null, string? Kind = null, string? LeadId = null);

/// <summary>A lead the timer should plan again (silence may have made new recommendations due).</summary>
public sealed record RecommendationRevisit(string ClientId, string LeadId, DateTimeOffset At);

/// <summary>Recommendations, each scoped to one client; ids are deterministic (<see cref="Recommendation.IdFor"/>).</summary>
public interface IRecommendationStore
{
    Task<Recommendation?> GetAsync(string clientId, string id, CancellationToken ct);

    /// <summary>The client's recommendations matching the filter, newest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<Recommendation>> ListAsync(string clientId, RecommendationFilter filter, int max, CancellationToken ct);

    /// <summary>
    /// Writes a plan for one lead in as few round trips as the store allows: each planned recommendation is created
    /// unless its id exists (whatever its status: a dismissed one stays dismissed); the lead's open planner
    /// recommendations not in the plan are expired (their trigger no longer holds); the lead is due for the timer
    /// again at <paramref name="revisitAt"/>. Returns the recommendations it created.
    /// </summary>
    Task<IReadOnlyList<Recommendation>> ApplyPlanAsync(string clientId, string leadId, IReadOnlyList<Recommendation> planned, DateTimeOffset now, DateTimeOffset revisitAt, CancellationToken ct);

    /// <summary>Creates the recommendation if its id is new; returns the stored one either way.</summary>
    Task<Recommendation> AddAsync(Recommendation recommendation, CancellationToken ct);

    /// <summary>ETag-guarded replace; throws <see cref="Common.ConcurrencyException"/> when it changed meanwhile.</summary>
    Task<Recommendation> ReplaceAsync(Recommendation recommendation, CancellationToken ct);

    /// <summary>(kind, status) of the client's latest decided recommendations (accepted, dismissed, done), at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<(string Kind, string Status)>> ListDecisionsAsync(string clientId, int max, CancellationToken ct);

    /// <summary>Marks open recommendations of every client past their expiry as expired, at most <paramref name="max"/>; returns how many.</summary>
    Task<int> ExpireDueAsync(DateTimeOffset now, int max, CancellationToken ct);

    /// <summary>Leads of every client due for planning again, soonest first.</summary>
    Task<IReadOnlyList<RecommendationRevisit>> ListRevisitsDueAsync(DateTimeOffset now, int max, CancellationToken ct);
}

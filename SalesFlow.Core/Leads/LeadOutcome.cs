namespace SalesFlow.Core.Leads;

public static class LeadOutcomes
{
    public const string Won = "won";
    public const string Lost = "lost";
}

/// <summary>
/// How a lead ended: won or lost, with the deal value and reason when known. Set by a rep (the API) or by the CRM (a deal
/// a human marked won in HubSpot); the latest word wins. The learnt scores read it as the label.
/// </summary>
/// <param name="Source">"api" or "hubspot".</param>
public sealed record LeadOutcome(string ClientId, string LeadId, string Outcome, decimal? Value, string? Reason, string Source, DateTimeOffset At);

/// <summary>One outcome per lead, scoped by client.</summary>
public interface ILeadOutcomeStore
{
    Task<LeadOutcome?> GetAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Replaces the lead's outcome.</summary>
    Task SetAsync(LeadOutcome outcome, CancellationToken ct);

    /// <summary>
    /// Stores the outcome unless the stored one is at least as recent (<see cref="LeadOutcome.At"/>); true when it was
    /// stored. Atomic: of concurrent copies of one vendor event exactly one stores it, and an older event never
    /// overwrites a newer one that raced it.
    /// </summary>
    Task<bool> SetIfNewerAsync(LeadOutcome outcome, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> of the client's outcomes (the learnt score's labels).</summary>
    Task<IReadOnlyList<LeadOutcome>> ListAsync(string clientId, int limit, CancellationToken ct);
}

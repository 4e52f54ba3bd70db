using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Memory;

/// <summary>
/// The warm layer: a rolling summary of the messages that left the hot window, with the lead's key facts and mood as
/// they stood when it was written. One per lead, changed only by ETag-guarded writes (empty ETag: not stored yet).
/// </summary>
/// <param name="CoversThroughSeq">The newest message (sequence number) the summary includes.</param>
public sealed record ConversationSummary(
    string ClientId,
    string LeadId,
    string Text,
    ProfileFacts KeyFacts,
    SentimentSnapshot Sentiment,
    long CoversThroughSeq,
    DateTimeOffset UpdatedAt,
    string ETag = "");

/// <summary>A lead whose messages outside the hot window are not all summarised yet.</summary>
public sealed record StaleLead(string ClientId, string LeadId);

/// <summary>Where summaries live. Every call is scoped to one client, except the timer's sweep.</summary>
public interface IMemoryStore
{
    Task<ConversationSummary?> GetSummaryAsync(string clientId, string leadId, CancellationToken ct);

    /// <summary>Creates (empty ETag) or replaces under the ETag; throws <see cref="Common.ConcurrencyException"/> on a lost race.</summary>
    Task<ConversationSummary> SaveSummaryAsync(ConversationSummary summary, CancellationToken ct);

    /// <summary>Leads (any client: the timer's sweep) with more than <paramref name="hotWindow"/> messages after their summary.</summary>
    Task<IReadOnlyList<StaleLead>> ListStaleLeadsAsync(int hotWindow, int max, CancellationToken ct);
}

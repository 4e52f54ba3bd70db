using SalesFlow.Core.Memory;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Functions.Apis;

/// <summary>The answer of POST /api/leads/{id}/merge: the lead that stays, the one merged into it, by whom and when.</summary>
public sealed record LeadMergeResultDto(string LeadId, string MergedLeadId, string MergedBy, DateTimeOffset MergedAt);

/// <summary>The answer of POST /api/leads/{id}/release.</summary>
public sealed record LeadReleaseDto(string LeadId, bool Escalated);

/// <summary>The answer of DELETE /api/leads/{id}: how many records each store removed.</summary>
public sealed record LeadErasureDto(string LeadId, bool Erased, IReadOnlyDictionary<string, int> Removed);

/// <summary>GET /api/leads/{id}/memory: the three layers of context the brain sees for the lead.</summary>
public sealed record LeadMemoryDto(
    string LeadId,
    string? State,
    MemoryKeyFactsDto KeyFacts,
    MemoryFlagsDto Flags,
    IReadOnlyList<IdentityDto> Identities,
    MemoryHotDto Hot,
    MemoryWarmDto? Warm,
    MemoryColdDto Cold,
    LeadProfileDto? Profile);

public sealed record MemoryKeyFactsDto(string? Name, string? Email, string? Phone, string? Language);

public sealed record MemoryFlagsDto(bool Escalated, string? EscalationReason, bool OptedOut);

/// <param name="Window">How many of the newest messages the brain reads.</param>
public sealed record MemoryHotDto(int Window, IReadOnlyList<MessageDto> Messages);

/// <summary>The rolling summary of older messages with the key facts and mood as they stood when it was written.</summary>
public sealed record MemoryWarmDto(string Summary, long CoversThroughSeq, DateTimeOffset UpdatedAt, ProfileFacts KeyFacts, SentimentSnapshot Sentiment);

/// <param name="Query">The lead's latest message, what the recalls answer; null when the lead has not written.</param>
public sealed record MemoryColdDto(int Indexed, string? Query, IReadOnlyList<MemoryRecallDto> Recalls);

public sealed record MemoryRecallDto(string Kind, long Seq, string Text, bool FromLead, DateTimeOffset At, double Score);

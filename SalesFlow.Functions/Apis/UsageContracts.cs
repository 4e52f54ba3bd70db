namespace SalesFlow.Functions.Apis;

/// <summary>GET /api/usage: the client's model tokens and cost in total and per model, purpose and lead (keys as stored).</summary>
public sealed record UsageReportDto(
    string ClientId,
    string? LeadId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    UsageTotalsDto Total,
    IReadOnlyDictionary<string, UsageTotalsDto> ByModel,
    IReadOnlyDictionary<string, UsageTotalsDto> ByPurpose,
    IReadOnlyDictionary<string, UsageTotalsDto> ByLead);

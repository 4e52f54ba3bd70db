namespace SalesFlow.Functions.Apis;

/// <summary>One page of the lead list (GET /api/leads).</summary>
/// <param name="Next">The cursor of the next page; null on the last.</param>
public sealed record LeadListPageDto(IReadOnlyList<LeadListRowDto> Items, string? Next);

/// <summary>A row of the lead list: contact, channels and flags as they are now, score and last message as last scored.</summary>
/// <param name="State">The conversation state's wire name; null before the first turn.</param>
/// <param name="Temperature">hot, warm or cold.</param>
/// <param name="LastMessage">Null while the lead has no message.</param>
public sealed record LeadListRowDto(
    string Id,
    string? Name,
    string? Email,
    string? Phone,
    IReadOnlyList<string> Channels,
    string? State,
    string Temperature,
    LeadListScoreDto Score,
    LeadListMessageDto? LastMessage,
    bool Escalated,
    bool OptedOut,
    DateTimeOffset CreatedAt);

/// <param name="Health">0–100.</param>
/// <param name="Model">"prior" or "learnt".</param>
public sealed record LeadListScoreDto(double Probability, int Health, string Model, DateTimeOffset ComputedAt);

public sealed record LeadListMessageDto(string? Text, DateTimeOffset? At);

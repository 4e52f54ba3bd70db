using System.Text.Json.Serialization;

namespace SalesFlow.Functions.Apis;

/// <summary>GET /api/leads/{id}/intelligence: everything a rep needs before calling the lead, in one read.</summary>
/// <param name="State">The conversation state's wire name; null before the first message.</param>
/// <param name="Score">Null only when the lead could not be scored.</param>
/// <param name="Recommendations">The coach's advice first, then the lead's open next best actions, highest priority first.</param>
/// <param name="Crm">The lead's CRM ids; null when it was never synced.</param>
public sealed record LeadIntelligenceDto(
    string LeadId,
    string? State,
    LeadProfileDto? Profile,
    BantViewDto Bant,
    DiscViewDto Disc,
    ScoreViewDto? Score,
    double? Probability,
    IReadOnlyList<LeadAdviceDto> Recommendations,
    IReadOnlyList<MeetingDto> Meetings,
    IntelligenceCrmDto? Crm);

/// <summary>
/// One piece of advice: the coach's (<c>source</c> "coach", only <c>text</c>) or an open next best action (its id, kind,
/// effective priority and due time; <c>text</c> is its reason). The coach's leaves the next-best-action fields out.
/// </summary>
public sealed record LeadAdviceDto(string Source, string Text)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Priority { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? DueAt { get; init; }
}

public sealed record IntelligenceCrmDto(string? ContactId, string? DealId, string? DealStage, DateTimeOffset? LastSyncedAt);

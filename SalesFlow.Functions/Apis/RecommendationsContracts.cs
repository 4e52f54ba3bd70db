namespace SalesFlow.Functions.Apis;

/// <summary>
/// A next best action as of now: its effective priority (base, decayed by age, shifted by the client's feedback on the
/// kind; all shown), its status (open, accepted, dismissed, done or expired) and its ETag for If-Match.
/// </summary>
/// <param name="Etag">The quoted ETag (also the ETag header of a PATCH answer).</param>
public sealed record RecommendationDto(
    string Id,
    string LeadId,
    string Kind,
    string Status,
    string Source,
    string Reason,
    int Priority,
    int BasePriority,
    int DecayedPriority,
    int FeedbackAdjustment,
    RecommendationFeedbackDto Feedback,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? DecidedAt,
    string? Note,
    string? PlaybookId,
    int? PlaybookStep,
    string Etag);

/// <summary>The client's recent decisions on recommendations of this kind.</summary>
public sealed record RecommendationFeedbackDto(int Positive, int Dismissed);

/// <summary>One page of GET /api/recommendations, highest effective priority first.</summary>
/// <param name="Next">The cursor of the next page; null on the last.</param>
public sealed record RecommendationPageDto(IReadOnlyList<RecommendationDto> Items, string? Next);

/// <summary>PATCH /api/recommendations/{id}: the decided recommendation and, for a playbook step, where its run stands now.</summary>
public sealed record RecommendationDecisionDto(RecommendationDto Recommendation, PlaybookProgressDto? Playbook);

public sealed record PlaybookProgressDto(string PlaybookId, int CurrentStep, DateTimeOffset? CompletedAt);

/// <summary>GET /api/leads/{id}/suggestions: the lead's open recommendations and its best contact window.</summary>
/// <param name="ContactWindow">Null until the lead's replies show a window.</param>
public sealed record LeadSuggestionsDto(string LeadId, bool OptedOut, ContactWindowDto? ContactWindow, IReadOnlyList<RecommendationDto> Recommendations);

/// <summary>When the lead answers fastest, in its time zone: hours [startHour, endHour), the best days (lower-case names), and a line for people.</summary>
/// <param name="MedianReplyMinutes">How fast the lead answers us, median; null when it never answered one of ours.</param>
public sealed record ContactWindowDto(string TimeZone, int StartHour, int EndHour, IReadOnlyList<string> Days, double? MedianReplyMinutes, int Samples, string Text);

namespace SalesFlow.Functions.Apis;

/// <summary>A client's playbook: its steps in order, each a recommendation kind due some days after the step begins.</summary>
public sealed record PlaybookDto(string Id, string Name, DateTimeOffset CreatedAt, IReadOnlyList<PlaybookStepDto> Steps);

/// <param name="Action">The recommendation kind the step opens.</param>
public sealed record PlaybookStepDto(string Name, string Action, int? DueAfterDays);

/// <summary>GET /api/playbooks: the client's playbooks, oldest first.</summary>
public sealed record PlaybookListDto(IReadOnlyList<PlaybookDto> Items);

/// <summary>One lead's run of a playbook with each step's progress.</summary>
/// <param name="CurrentStep">Index of the open step; the step count once completed.</param>
public sealed record PlaybookRunDto(string PlaybookId, string Name, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, bool Completed, int CurrentStep, IReadOnlyList<PlaybookRunStepDto> Steps);

/// <param name="Status">done, open or pending.</param>
/// <param name="RecommendationId">The recommendation the step opens (or opened).</param>
/// <param name="DueAt">When the open step is due; null for the others.</param>
public sealed record PlaybookRunStepDto(int Index, string Name, string Action, string Status, DateTimeOffset? DoneAt, string RecommendationId, DateTimeOffset? DueAt);

/// <summary>GET /api/leads/{id}/playbooks: the lead's playbook runs.</summary>
public sealed record LeadPlaybookRunsDto(string LeadId, IReadOnlyList<PlaybookRunDto> Items);

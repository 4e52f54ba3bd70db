using System.Text.Json.Serialization;

namespace SalesFlow.Functions.Apis;

/// <summary>POST /api/leads: the lead and its first message (201 queued; 200 repeat or opted out, nothing written).</summary>
/// <param name="Status">queued, repeat or opted_out.</param>
/// <param name="Message">Why nothing was written (repeat, opted_out); null when queued.</param>
public sealed record LeadIntakeDto(string LeadId, string ConversationId, string? Channel, string? OutboxId, string Status, bool LeadCreated, DateTimeOffset? SendAt, string? Message);

/// <summary>POST /api/leads/import: one result per data row and the totals.</summary>
public sealed record LeadImportDto(int Rows, int Accepted, int Failed, IReadOnlyList<LeadImportRowDto> Results);

/// <summary>One CSV row's result: <see cref="LeadImportRowAcceptedDto"/> or <see cref="LeadImportRowErrorDto"/> (status error).</summary>
[JsonDerivedType(typeof(LeadImportRowAcceptedDto))]
[JsonDerivedType(typeof(LeadImportRowErrorDto))]
public abstract record LeadImportRowDto;

/// <param name="Row">The CSV line, the header being row 1.</param>
/// <param name="Status">queued, repeat or opted_out.</param>
public sealed record LeadImportRowAcceptedDto(int Row, string Status, string LeadId, string ConversationId, string? Channel, string? OutboxId, bool LeadCreated) : LeadImportRowDto;

/// <param name="Status">Always error: the row was skipped.</param>
public sealed record LeadImportRowErrorDto(int Row, string Status, IReadOnlyList<FieldErrorDto> Errors) : LeadImportRowDto;

public sealed record FieldErrorDto(string Field, string Message);

/// <summary>GET /api/leads/{id}/followups.</summary>
/// <param name="Status">scheduled, due, paused, finished, nurture or none.</param>
/// <param name="Reason">waiting, due, lead_replied, opted_out, escalated, won, cadence_done, no_reply.</param>
/// <param name="Cycle">The outbox id of the message the cadence follows; null when there is none.</param>
public sealed record FollowUpsDto(string LeadId, string Status, string Reason, bool Nurture, string? Cycle, int Steps, int StepsDone, FollowUpNextDto? Next, IReadOnlyList<FollowUpSentDto> Sent);

/// <summary>The next step of the current cycle (1-based) and when it is due.</summary>
public sealed record FollowUpNextDto(int Step, DateTimeOffset DueAt);

public sealed record FollowUpSentDto(int Step, string Cycle, string OutboxId, string Channel, string Status, string? Error, DateTimeOffset At, DateTimeOffset UpdatedAt);

namespace SalesFlow.Functions.Apis;

/// <summary>The data of <c>event: token</c>: the next piece of the reply (or answer).</summary>
public sealed record ChatTokenEvent(string Text);

/// <summary>The data of <c>event: error</c>: the stream failed after it started (the status line was already sent).</summary>
public sealed record ChatErrorEvent(string Message, string TraceId);

/// <summary>The data of <c>event: done</c> in mode lead: the turn as stored, its reply after the compliance filter.</summary>
public sealed record ChatLeadDoneEvent(
    string Mode,
    string ConversationId,
    string State,
    string PreviousState,
    string Intent,
    string? Reply,
    string? OutboxId,
    ChatComplianceDto? Compliance,
    ChatUsageDto? Usage = null,
    ChatTimingDto? Timing = null)
{
    /// <summary>The lead who wrote: the playground reads its score and BANT after the turn (a new lead's id is only known here).</summary>
    public string? LeadId { get; init; }
}

/// <summary>The data of <c>event: done</c> in mode coach: the answer for the rep (nothing stored or sent).</summary>
public sealed record ChatCoachDoneEvent(string Mode, string ConversationId, string State, string? Intent, string Answer, ChatUsageDto? Usage = null, ChatTimingDto? Timing = null);

public sealed record ChatComplianceDto(string Verdict, IReadOnlyList<string> RuleIds);

/// <summary>The model calls the answer took, in total and by model.</summary>
public sealed record ChatUsageDto(long Calls, long InputTokens, long OutputTokens, long TotalTokens, decimal CostUsd, IReadOnlyList<ChatModelUsageDto> Models);

public sealed record ChatModelUsageDto(string Model, int Calls, long InputTokens, long OutputTokens, decimal CostUsd);

/// <summary>Where the time went (ms): time to first token, SalesFlow's own added latency around the model, the total.</summary>
public sealed record ChatTimingDto(string Brain, double? TtftMs, double? AddedLatencyMs, double? PreUpstreamMs, double? PostUpstreamMs, double? UpstreamTtftMs, double? TotalMs);

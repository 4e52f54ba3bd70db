namespace SalesFlow.Functions.Apis;

/// <summary>The lead's top open recommendation (highest effective priority), shown as the row's next action.</summary>
public sealed record LeadRowNextAction(string Id, string Kind, string Reason, int Priority, DateTimeOffset DueAt);

/// <summary>The compliance filter's verdict on an outbound message (pass, rewritten, blocked) and the rules that fired.</summary>
public sealed record TimelineCompliance(string Verdict, IReadOnlyList<string> RuleIds, string Source);

/// <summary>
/// One event on a lead's timeline. <see cref="Kind"/> says which fields are set:
/// message (Direction, Channel, Text, Author, By, Purpose, Status, Error, Compliance, HeldBack, TrustedBy);
/// state_change (From, To, Reason); follow_up_scheduled (Step, Status: scheduled|due); meeting (Status, Start, End, Reason);
/// crm_sync (Status: synced|failed, Reason).
/// </summary>
/// <param name="Id">Unique on the timeline; for a message its message id (the one POST .../messages/{messageId}/trust takes).</param>
/// <param name="Author">Messages: lead, ai (SalesFlow wrote it) or rep (a person, POST /api/leads/{id}/replies).</param>
/// <param name="Status">Outbound messages: the outbox's delivery status (pending, sent, delivered, read, failed, suppressed, skipped …).</param>
/// <param name="HeldBack">Why an inbound message was held back and not answered (an unauthenticated e-mail sender); null otherwise.</param>
public sealed record LeadTimelineEntry(
    string Id,
    string Kind,
    DateTimeOffset At,
    string? Channel = null,
    string? Direction = null,
    string? Text = null,
    string? Author = null,
    string? By = null,
    string? Purpose = null,
    string? Status = null,
    string? Error = null,
    TimelineCompliance? Compliance = null,
    string? HeldBack = null,
    string? TrustedBy = null,
    string? From = null,
    string? To = null,
    string? Reason = null,
    int? Step = null,
    DateTimeOffset? Start = null,
    DateTimeOffset? End = null);

/// <param name="ConversationId">The lead's conversation (for trusting a held-back message); null before the lead's first message.</param>
/// <param name="Items">Newest first.</param>
/// <param name="Next">The cursor of the older events; null on the last page.</param>
public sealed record LeadTimelinePage(string LeadId, string? ConversationId, IReadOnlyList<LeadTimelineEntry> Items, string? Next);

/// <param name="By">Who takes over (a rep's name or e-mail), for the log; the API key only names the client.</param>
public sealed record TakeoverRequest(string? By);

public sealed record TakeoverResult(string LeadId, bool Escalated, string? EscalationReason, string? By);

/// <param name="Text">What the rep writes to the lead.</param>
/// <param name="By">Who writes (shown on the timeline).</param>
/// <param name="Channel">whatsapp, sms, email or web; default: the conversation's last channel.</param>
/// <param name="Id">A client-chosen id that makes a retry land on the same message (or send an Idempotency-Key header).</param>
public sealed record RepReplyRequest(string? Text, string? By, string? Channel, string? Id);

/// <param name="Duplicate">True when the key had stored this message before (nothing new was sent).</param>
public sealed record RepReplyResponse(string Id, string LeadId, string Channel, string Recipient, string Status, string By, DateTimeOffset CreatedAt, bool Duplicate);

using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;

namespace SalesFlow.Core.Delivery;

public static class OutboxStatus
{
    public const string Pending = "pending";
    /// <summary>
    /// Claimed by one delivery run for its vendor call (<see cref="OutboxItem.ClaimedAt"/>). A second run leaves it alone;
    /// a claim older than the delivery lease (the run died after or during the call) is never sent again blindly: a vendor
    /// report that names the item settles it, else it becomes <see cref="InDoubt"/>.
    /// </summary>
    public const string Sending = "sending";
    /// <summary>
    /// The vendor may or may not have the message: a run died between the vendor call and recording its answer. Not
    /// resent automatically (that could send twice); a later vendor report still moves it on; an operator can resend it.
    /// </summary>
    public const string InDoubt = "in_doubt";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";
    /// <summary>Not sent on purpose (the lead opted out meanwhile).</summary>
    public const string Suppressed = "suppressed";
    /// <summary>
    /// Not sent: a WhatsApp follow-up outside the 24-hour window. Written only before per-purpose templates and the
    /// channel fallback existed (now <see cref="Skipped"/>); stored items still carry it.
    /// </summary>
    public const string NeedsTemplate = "needs_template";
    /// <summary>
    /// Not sent: no channel could carry the message (WhatsApp outside the 24-hour window without an approved template
    /// for its purpose, and no phone for SMS or address for e-mail). <see cref="OutboxItem.Error"/> says why.
    /// </summary>
    public const string Skipped = "skipped";

    /// <summary>
    /// Provider reports arrive out of order; a later stage never goes back. Sending and in-doubt rank below sent, so a
    /// vendor report that names the item resolves a claim whose run never recorded the vendor's answer.
    /// </summary>
    public static int Rank(string status) => status switch
    {
        Pending => 0,
        Sending => 1,
        InDoubt => 1,
        Sent => 2,
        Delivered => 3,
        Read => 4,
        Failed => 5,
        Suppressed => 5,
        NeedsTemplate => 5,
        Skipped => 5,
        _ => -1,
    };

    /// <summary>
    /// A vendor's report in our statuses: the vendor has it (queued, accepted, sending, sent, processed) is sent; failed,
    /// undelivered, canceled are failed; anything else passes through (and an unknown status never moves an item).
    /// </summary>
    public static string FromReport(string reported) => reported.Trim().ToLowerInvariant() switch
    {
        "sent" or "queued" or "accepted" or "scheduled" or "sending" or "processed" => Sent,
        "delivered" => Delivered,
        "read" or "open" => Read,
        "failed" or "undelivered" or "canceled" => Failed,
        var other => other,
    };

    /// <summary>Every status, for validation messages.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Sending, InDoubt, Sent, Delivered, Read, Failed, Suppressed, Skipped, NeedsTemplate];
}

public static class OutboxPurpose
{
    public const string Reply = "reply";
    /// <summary>The one message a lead who said STOP still gets.</summary>
    public const string OptOutConfirmation = "opt_out_confirmation";
    /// <summary>The one message confirming that a lead who said START (UNSTOP, ANMELDEN, YES) gets messages again.</summary>
    public const string OptInConfirmation = "opt_in_confirmation";
    public const string Handover = "handover";
    /// <summary>The confirmation e-mail to an address a lead typed in chat (its code and link), written by SalesFlow, not the brain.</summary>
    public const string EmailVerification = "email_verification";
    /// <summary>A step of the follow-up cadence after a reply the lead did not answer.</summary>
    public const string FollowUp = "follow_up";
    /// <summary>The personalised first message to a lead who came in through POST /api/leads (a form, an ad, an import).</summary>
    public const string FirstContact = "first_contact";
    /// <summary>The e-mail confirming a meeting booked (or moved) in the conversation, written by SalesFlow, once per meeting and start.</summary>
    public const string MeetingConfirmation = "meeting_confirmation";
    /// <summary>An alert to the client's staff about a lead (hot, escalated, meeting booked): to a staff address, never the lead.</summary>
    public const string Alert = "alert";
    /// <summary>The client's daily activity summary to its staff; about no lead (<see cref="OutboxItem.NoLead"/>).</summary>
    public const string DailySummary = "daily_summary";
    /// <summary>A rep's own message to a lead they took over (POST /api/leads/{id}/replies): written by a person, not the brain.</summary>
    public const string RepReply = "rep_reply";

    /// <summary>
    /// Items addressed to the client's own people rather than the lead: the lead's opt-out or erasure does not stop
    /// them, and a lead's listing of its messages leaves them out.
    /// </summary>
    public static bool IsToStaff(string purpose) => purpose is Alert or DailySummary;

    /// <summary>The staff purposes, for stores that filter them out of a lead's listing.</summary>
    public static IReadOnlyList<string> ToStaff { get; } = [Alert, DailySummary];
}

/// <summary>A message SalesFlow will send (or has sent) to a lead, or to the client's staff about one, keyed for exactly-once effect.</summary>
public sealed record OutboxItem
{
    /// <summary>The <see cref="LeadId"/> and <see cref="ConversationId"/> of an item about no lead (a daily summary); no lead id has this form.</summary>
    public const string NoLead = "-";

    public required string Id { get; init; }
    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    public required string ConversationId { get; init; }
    public ChannelKind Channel { get; init; }
    /// <summary>The lead's address on that channel (E.164 phone or e-mail).</summary>
    public required string Recipient { get; init; }
    public required string Text { get; init; }
    /// <summary>The same effect always carries the same key; a second insert with it is a no-op.</summary>
    public required string IdempotencyKey { get; init; }
    /// <summary>Why it is sent: <see cref="OutboxPurpose"/>.</summary>
    public string Purpose { get; init; } = OutboxPurpose.Reply;
    public string Status { get; init; } = OutboxStatus.Pending;
    public string? ProviderMessageId { get; init; }
    public string? Error { get; init; }

    /// <summary>How many delivery runs claimed the item (each claim is one vendor call at most).</summary>
    public int Attempts { get; init; }

    /// <summary>When the current (or last) claim was taken; with <see cref="OutboxStatus.Sending"/> it dates the vendor call.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>
    /// When the current claim's run was about to call the vendor (recorded just before the call). A claim that ran out
    /// without it died before its call: nothing left the process, so the item is sent again instead of being in doubt.
    /// </summary>
    public DateTimeOffset? VendorCallStartedAt { get; init; }

    /// <summary>After a retryable failure: no new attempt before this time (backoff, the vendor's Retry-After).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Set when an approved WhatsApp template goes out instead of <see cref="Text"/> (outside the 24-hour window).</summary>
    public TemplateMessage? Template { get; init; }

    /// <summary>Set on e-mail: the subject and headers that thread the message into the lead's conversation.</summary>
    public EmailThread? Thread { get; init; }

    /// <summary>
    /// E-mail only: a written HTML body sent with <see cref="Text"/> as its plain-text alternative (staff alerts and
    /// summaries); null: the HTML part is derived from the text.
    /// </summary>
    public string? HtmlBody { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An approved WhatsApp message template with the values of its body placeholders ({{1}}, {{2}}, …) in order.</summary>
public sealed record TemplateMessage(string Name, string Language, IReadOnlyList<string> BodyParameters);

/// <summary>
/// How an outbound e-mail threads into the lead's conversation: "Re: " + their subject, <c>In-Reply-To</c> their last
/// Message-ID and <c>References</c> the chain (RFC 5322 §3.6.4). Message ids are stored without angle brackets.
/// </summary>
public sealed record EmailThread(string Subject, string? InReplyTo, IReadOnlyList<string> References);

/// <summary>
/// A send the vendor did not accept. <see cref="Permanent"/>: retrying cannot help (bad number, blocked, 4xx) and the
/// item is marked failed with <see cref="VendorCode"/> and the message; otherwise (429, 5xx, a connection that never
/// opened) it is retried with backoff, no sooner than <see cref="RetryAfter"/> when the vendor named one.
/// <see cref="OutcomeUnknown"/>: the request went out but no answer came (a timeout, a connection cut mid-answer); the
/// vendor may have the message, and none of them takes an idempotency key, so it is not retried: it is in doubt.
/// </summary>
public sealed class DeliveryException(string message, bool permanent, string? vendorCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;

    /// <summary>The vendor's own error code (Graph error code, Twilio error code, HTTP status for SendGrid).</summary>
    public string? VendorCode { get; } = vendorCode;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool OutcomeUnknown { get; private init; }

    /// <summary>The request went out and no answer came back: the vendor may have sent the message.</summary>
    public static DeliveryException Unanswered(string message, Exception inner) => new(message, permanent: false, inner: inner) { OutcomeUnknown = true };
}

public interface IOutboxStore
{
    /// <summary>Inserts unless an item with the same idempotency key exists; returns the stored item.</summary>
    Task<(OutboxItem Item, bool Created)> AddAsync(OutboxItem item, CancellationToken ct);

    Task<OutboxItem?> GetAsync(string clientId, string id, CancellationToken ct);

    /// <summary>
    /// Oldest first (the pending items a turn looks at); see <see cref="ListPageAsync"/> for the listing people page through.
    /// With a lead: the messages to the lead; staff items about it (<see cref="OutboxPurpose.IsToStaff"/>) are listed only client-wide.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ListAsync(string clientId, string? leadId, string? status, int limit, CancellationToken ct);

    /// <summary>
    /// One page of the client's items, newest first (creation time, then id), optionally for one lead and one status,
    /// starting after <paramref name="after"/> (a position of an earlier page; null for the first page). With a lead, staff
    /// items about it are left out, as in <see cref="ListAsync"/>.
    /// </summary>
    Task<Page<OutboxItem>> ListPageAsync(string clientId, string? leadId, string? status, PagePosition? after, int limit, CancellationToken ct);

    /// <summary>Marks a send outcome; returns false when the item is missing.</summary>
    Task<bool> MarkAsync(string clientId, string id, string status, string? providerMessageId, string? error, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Pending items of every client last changed before <paramref name="olderThan"/> that no sweep has
    /// re-dispatched yet (see <see cref="MarkRedispatchedAsync"/>), oldest first.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ListStalePendingAsync(DateTimeOffset olderThan, int limit, CancellationToken ct);

    /// <summary>Records that a sweep re-enqueued the item's delivery, so it is re-dispatched at most once.</summary>
    Task MarkRedispatchedAsync(string clientId, string id, DateTimeOffset now, CancellationToken ct);

    /// <summary>Applies a provider status report to the item with that provider id; never moves a status backwards.</summary>
    Task<bool> ApplyProviderStatusAsync(string clientId, string providerMessageId, string status, string? error, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Applies a status to the item with our own id (the vendor's answer to our send, or a vendor report that echoes the
    /// outbox id): records <paramref name="providerMessageId"/> when given (a report by provider id then finds the item)
    /// and moves the status only forwards (<see cref="OutboxStatus.Rank"/>). False when the item is missing.
    /// </summary>
    Task<bool> ApplyStatusAsync(string clientId, string id, string? providerMessageId, string status, string? error, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Claims a pending item for one vendor call in one conditional write: pending → <see cref="OutboxStatus.Sending"/>,
    /// <see cref="OutboxItem.ClaimedAt"/> = <paramref name="now"/>, <see cref="OutboxItem.Attempts"/> + 1. Of concurrent
    /// claims exactly one wins; the others (and a claim of an item that is not pending) get null. Clears
    /// <see cref="OutboxItem.VendorCallStartedAt"/> (a new claim has not called the vendor yet).
    /// </summary>
    Task<OutboxItem?> TryClaimAsync(string clientId, string id, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Records that the claim taken at <paramref name="claimedAt"/> is about to call the vendor
    /// (<see cref="OutboxItem.VendorCallStartedAt"/>), in one conditional write that succeeds only while the item is still
    /// sending under that claim. False when it is not (the claim ran out and another run settled the item).
    /// </summary>
    Task<bool> MarkVendorCallStartedAsync(string clientId, string id, DateTimeOffset claimedAt, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Ends the claim taken at <paramref name="claimedAt"/> without a send (retry later: pending with
    /// <paramref name="nextAttemptAt"/>; failed; in doubt; suppressed), in one conditional write that succeeds only while
    /// the item is still sending under that claim. False when it is not (a vendor report or another run settled it).
    /// </summary>
    Task<bool> ReleaseClaimAsync(string clientId, string id, DateTimeOffset claimedAt, string status, string? error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// An operator's resend of a <see cref="OutboxStatus.Failed"/> or <see cref="OutboxStatus.InDoubt"/> item: back to
    /// pending with its attempts reset, in one conditional write from those statuses only. Returns the item, or null.
    /// </summary>
    Task<OutboxItem?> ResendAsync(string clientId, string id, string note, DateTimeOffset now, CancellationToken ct);
}

/// <summary>
/// Sends one outbox item through the lead's channel; returns the provider's message id. Throws
/// <see cref="DeliveryException"/> when the vendor refuses or cannot be reached.
/// </summary>
public interface IChannelSender
{
    Task<string> SendAsync(OutboxItem item, CancellationToken ct);
}

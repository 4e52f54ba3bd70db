using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Functions.Apis;

public sealed record StartConversationRequest(string? Channel, string? From, string? Name, string? Message);

public sealed record PostMessageRequest(string? Message);

/// <param name="By">Who vouches (a rep's e-mail or name) for the audit trail; the API key only names the client.</param>
public sealed record TrustMessageRequest(string? By);

/// <summary>Body of POST /api/leads/{id}/merge: the lead merged into {id}; <c>by</c> names the rep for the audit trail.</summary>
public sealed record MergeLeadsRequest(string? OtherLeadId, string? By);

public sealed record AnalyzeRequest(string? Text);

/// <param name="Untrusted">Why the message is shown but was not acted on (e.g. sender_not_authenticated); null for ordinary messages.</param>
/// <param name="TrustedBy">Who vouched for a message that was held back as untrusted (<c>api</c>); null otherwise.</param>
/// <param name="TrustedAt">When they did.</param>
public sealed record MessageDto(string Id, string Direction, string Channel, string Kind, string Text, DateTimeOffset CreatedAt, string? Untrusted = null, string? TrustedBy = null, DateTimeOffset? TrustedAt = null)
{
    public static MessageDto From(Message m) =>
        new(m.Id, m.Direction == MessageDirection.Inbound ? "inbound" : "outbound", m.Channel.ToWire(), m.Kind, m.Text, m.CreatedAt, m.Metadata.GetValueOrDefault(SenderTrust.UntrustedKey),
            m.Metadata.GetValueOrDefault(SenderTrust.TrustedByKey),
            DateTimeOffset.TryParse(m.Metadata.GetValueOrDefault(SenderTrust.TrustedAtKey), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at) ? at : null);
}

public sealed record StateChangeDto(string From, string To, string Reason, DateTimeOffset At)
{
    public static StateChangeDto Of(StateChange c) => new(c.From.ToWire(), c.To.ToWire(), c.Reason, c.At);
}

/// <param name="Messages">One page of messages, oldest of them first; the first page holds the newest.</param>
/// <param name="Next">The cursor of the page of older messages; null when these reach back to the first message.</param>
public sealed record ConversationDto(string Id, string LeadId, string State, int TurnCount, string LastChannel, IReadOnlyList<StateChangeDto> History, IReadOnlyList<MessageDto> Messages, string? Next)
{
    public static ConversationDto From(Conversation c, IReadOnlyList<Message> messages, string? next) =>
        new(c.Id, c.LeadId, c.State.ToWire(), c.TurnCount, c.LastChannel.ToWire(), c.History.Select(StateChangeDto.Of).ToList(), messages.Select(MessageDto.From).ToList(), next);
}

public sealed record IdentityDto(string Kind, string Value);

/// <param name="PhoneCountry">ISO country of the lead's phone number (by libphonenumber); null without a valid phone.</param>
/// <param name="PhoneTimeZone">IANA time zone of the phone number when it names exactly one; null when it spans several (US toll-free).</param>
public sealed record LeadDto(
    string Id,
    string? Name,
    string? Email,
    string? Phone,
    string? Language,
    bool Escalated,
    string? EscalationReason,
    bool OptedOut,
    string? ConversationId,
    string? State,
    IReadOnlyList<IdentityDto> Identities,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    LeadProfileDto? Profile,
    UsageTotalsDto Usage,
    IReadOnlyList<EmailClaimDto> EmailClaims,
    IReadOnlyList<MergedLeadDto> MergedLeads,
    string? PhoneCountry,
    string? PhoneTimeZone)
{
    /// <summary>The lead went cold: the follow-up cadence ran out unanswered (see GET /api/leads/{id}/followups).</summary>
    public bool Nurture { get; init; }

    /// <summary>The lead's next meeting that is booked (or being booked) and not over; null when none (all: GET …/meetings).</summary>
    public MeetingDto? NextMeeting { get; init; }

    /// <summary>The zone the lead said they are in ("I'm in Chicago"); it wins over <see cref="PhoneTimeZone"/> for quiet hours.</summary>
    public string? StatedTimeZone { get; init; }

    public static LeadDto From(Lead l, Conversation? c, IReadOnlyList<ChannelIdentity> identities, LeadProfile? profile, UsageTotals usage, IReadOnlyList<EmailClaim> claims, IReadOnlyList<MergedLeadDto> merged, DateTimeOffset now)
    {
        var phone = ContactAddresses.DescribePhone(l.Phone);
        return new(l.Id, l.Name, l.Email, l.Phone, l.Language, l.Escalated, l.EscalationReason, l.OptedOut, c?.Id, c?.State.ToWire(),
            identities.Select(i => new IdentityDto(i.Kind.ToString().ToLowerInvariant(), i.Value)).ToList(), l.CreatedAt, l.UpdatedAt,
            LeadProfileDto.From(profile), UsageTotalsDto.From(usage), claims.Select(c => EmailClaimDto.From(c, now)).ToList(), merged,
            phone?.Country, phone?.TimeZone)
        {
            StatedTimeZone = l.TimeZone,
        };
    }
}

/// <summary>
/// An e-mail address the lead typed in chat: <c>pending</c> until proved, <c>expired</c> (its code and link ran out of
/// time or attempts; typing the address again sends a new one), <c>verified</c>, or <c>conflict</c> (another lead owns
/// it: a rep can merge). Code and token are never shown.
/// </summary>
public sealed record EmailClaimDto(string Address, string Status, int Attempts, string? ConflictLeadId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? VerifiedAt)
{
    public static EmailClaimDto From(EmailClaim c, DateTimeOffset now) =>
        new(c.Address, c.Status == EmailClaimStatus.Pending && !c.IsOpen(now) ? "expired" : c.Status, c.Attempts, c.ConflictLeadId, c.CreatedAt, c.ExpiresAt, c.VerifiedAt);
}

/// <summary>A lead a rep merged into this one: its conversation stays readable under its own id.</summary>
public sealed record MergedLeadDto(string LeadId, string? ConversationId, string MergedBy, DateTimeOffset MergedAt);

public sealed record BantDimensionDto(double Score, IReadOnlyList<string> Evidence)
{
    public static BantDimensionDto From(BantDimension d) => new(d.Score, d.Evidence);
}

public sealed record BantDto(BantDimensionDto Budget, BantDimensionDto Authority, BantDimensionDto Need, BantDimensionDto Timeline, double Overall, string Temperature);

public sealed record DiscDto(double Dominance, double Influence, double Steadiness, double Conscientiousness, string? Primary, double Confidence, int Samples);

public sealed record KeyFactsDto(string? Name, string? Company, string? Role, string? Budget, string? Timeline, IReadOnlyList<string> PainPoints, string? Email);

public sealed record SentimentDto(string Label, double Latest, double Trend, DateTimeOffset? At);

/// <summary>What SalesFlow has learned about a lead (BANT with evidence, DISC with confidence, key facts, sentiment).</summary>
public sealed record LeadProfileDto(BantDto Bant, DiscDto Disc, KeyFactsDto KeyFacts, SentimentDto Sentiment, int Turns, string? LastSource, DateTimeOffset UpdatedAt)
{
    public static LeadProfileDto? From(LeadProfile? p) => p is null ? null : new(
        new BantDto(BantDimensionDto.From(p.Bant.Budget), BantDimensionDto.From(p.Bant.Authority), BantDimensionDto.From(p.Bant.Need), BantDimensionDto.From(p.Bant.Timeline), Math.Round(p.Bant.Overall, 3), p.Bant.Temperature),
        new DiscDto(p.Disc.Dominance, p.Disc.Influence, p.Disc.Steadiness, p.Disc.Conscientiousness, p.Disc.Primary, p.Disc.Confidence, p.Disc.Samples),
        new KeyFactsDto(p.Facts.Name, p.Facts.Company, p.Facts.Role, p.Facts.Budget, p.Facts.Timeline, p.Facts.PainPoints, p.Facts.Email),
        new SentimentDto(p.Sentiment.Label, p.Sentiment.Latest, p.Sentiment.Trend, p.Sentiment.At),
        p.Turns,
        p.LastSource,
        p.UpdatedAt);
}

public sealed record UsageTotalsDto(long Calls, long InputTokens, long OutputTokens, long TotalTokens, decimal CostUsd)
{
    public static UsageTotalsDto From(UsageTotals t) => new(t.Calls, t.InputTokens, t.OutputTokens, t.TotalTokens, Math.Round(t.CostUsd, 9));

    public static IReadOnlyDictionary<string, UsageTotalsDto> From(IReadOnlyDictionary<string, UsageTotals> byKey) =>
        byKey.OrderBy(k => k.Key, StringComparer.Ordinal).ToDictionary(k => k.Key, k => From(k.Value));
}

public sealed record ComplianceAuditDto(string Id, string LeadId, string OutboxId, string Verdict, IReadOnlyList<string> RuleIds, string Source, string Purpose, string OriginalHash, string FinalHash, string FinalText, DateTimeOffset CreatedAt)
{
    public static ComplianceAuditDto From(ComplianceAuditEntry e) =>
        new(e.Id, e.LeadId, e.OutboxId, e.Verdict.ToWire(), e.RuleIds, e.Source, e.Purpose, e.OriginalHash, e.FinalHash, e.FinalText, e.CreatedAt);
}

/// <param name="Channel">With From (and Name) instead of ConversationId, in mode lead: a new simulated lead writes its first message.</param>
public sealed record ChatStreamRequest(string? ConversationId, string? Message, string? Mode, string? Channel = null, string? From = null, string? Name = null);

/// <param name="LeadId">Null for an item about no lead (a daily summary).</param>
public sealed record OutboxItemDto(string Id, string? LeadId, string ConversationId, string Channel, string Recipient, string Text, string Status, string Purpose, string IdempotencyKey, string? ProviderMessageId, string? Error, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Attempts = 0, DateTimeOffset? NextAttemptAt = null)
{
    public static OutboxItemDto From(OutboxItem o) =>
        new(o.Id, o.LeadId == OutboxItem.NoLead ? null : o.LeadId, o.ConversationId, o.Channel.ToWire(), o.Recipient, o.Text, o.Status, o.Purpose, o.IdempotencyKey, o.ProviderMessageId, o.Error, o.CreatedAt, o.UpdatedAt, o.Attempts, o.NextAttemptAt);
}

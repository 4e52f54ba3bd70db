using SalesFlow.Core.Common;

namespace SalesFlow.Core.Recommendations;

/// <summary>What a rep (or SalesFlow) should do next for a lead; the wire names are the API's.</summary>
public static class RecommendationKinds
{
    public const string ReplyNow = "reply_now";
    public const string Call = "call";
    public const string SendCaseStudy = "send_case_study";
    public const string BookMeeting = "book_meeting";
    public const string HandToHuman = "hand_to_human";
    public const string Nurture = "nurture";
    public const string CloseAsLost = "close_as_lost";
    public const string SendProposal = "send_proposal";
    public const string FollowUp = "follow_up";

    /// <summary>BANT gaps: ask what is still unknown (budget, decision maker, need, timeline).</summary>
    public const string Qualify = "qualify";

    public static IReadOnlyList<string> All { get; } = [ReplyNow, Call, SendCaseStudy, BookMeeting, HandToHuman, Nurture, CloseAsLost, SendProposal, FollowUp, Qualify];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind);

    /// <summary>How fast a kind loses urgency (its priority halves every this many hours) and how long it stays open at most.</summary>
    public static (double HalfLifeHours, TimeSpan Lifetime) Aging(string kind) => kind switch
    {
        ReplyNow => (6, TimeSpan.FromDays(1)),
        HandToHuman => (12, TimeSpan.FromDays(3)),
        Call => (24, TimeSpan.FromDays(3)),
        FollowUp => (48, TimeSpan.FromDays(5)),
        BookMeeting or SendCaseStudy => (48, TimeSpan.FromDays(7)),
        SendProposal or Qualify => (72, TimeSpan.FromDays(7)),
        _ => (168, TimeSpan.FromDays(14)), // nurture, close_as_lost: slow moves
    };
}

public static class RecommendationStatuses
{
    public const string Open = "open";
    public const string Accepted = "accepted";
    public const string Dismissed = "dismissed";
    public const string Done = "done";
    public const string Expired = "expired";

    public static IReadOnlyList<string> All { get; } = [Open, Accepted, Dismissed, Done, Expired];

    /// <summary>What a rep may set through the API.</summary>
    public static IReadOnlyList<string> Settable { get; } = [Accepted, Dismissed, Done];

    /// <summary>Feedback that says the advice was good.</summary>
    public static bool IsPositive(string status) => status is Accepted or Done;
}

public static class RecommendationSources
{
    /// <summary>Derived from the lead's state; expired when what triggered it no longer holds.</summary>
    public const string Planner = "planner";

    /// <summary>A step of a playbook the lead runs; only the rep ends it.</summary>
    public const string Playbook = "playbook";
}

/// <summary>
/// One next best action for one lead. Its id is derived from (client, lead, kind, trigger), so planning the same
/// situation again (a re-run turn, the timer) finds the recommendation it made instead of making a second one.
/// </summary>
/// <param name="Trigger">What made it (e.g. "seq:12", "hot", "state:value_proposition"): part of the key.</param>
/// <param name="BasePriority">0–100 when made; decay and the client's feedback are applied on read (<see cref="RecommendationPriority"/>).</param>
public sealed record Recommendation
{
    public required string Id { get; init; }
    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    public required string Kind { get; init; }
    public required string Trigger { get; init; }
    public int BasePriority { get; init; }
    public string Reason { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public double HalfLifeHours { get; init; }
    public string Status { get; init; } = RecommendationStatuses.Open;
    public string Source { get; init; } = RecommendationSources.Planner;
    public string? PlaybookId { get; init; }
    public int? PlaybookStep { get; init; }
    public string? Note { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string ETag { get; init; } = "";

    public static string IdFor(string clientId, string leadId, string kind, string trigger) => Ids.Deterministic("rec", clientId, leadId, kind, trigger);

    /// <summary>A new open recommendation, aged by its kind's half-life and lifetime.</summary>
    public static Recommendation Create(string clientId, string leadId, string kind, string trigger, int priority, string reason, DateTimeOffset now, DateTimeOffset? due = null, string source = RecommendationSources.Planner)
    {
        var (halfLife, lifetime) = RecommendationKinds.Aging(kind);
        var dueAt = due is { } d && d > now ? d : now;
        return new Recommendation
        {
            Id = IdFor(clientId, leadId, kind, trigger),
            ClientId = clientId,
            LeadId = leadId,
            Kind = kind,
            Trigger = trigger,
            BasePriority = Math.Clamp(priority, 0, 100),
            Reason = reason,
            CreatedAt = now,
            DueAt = dueAt,
            ExpiresAt = dueAt + lifetime,
            HalfLifeHours = halfLife,
            Source = source,
        };
    }

    public bool IsOpenAt(DateTimeOffset now) => Status == RecommendationStatuses.Open && ExpiresAt > now;

    /// <summary>The status as of <paramref name="now"/>: an open one past its expiry reads as expired before the timer writes it.</summary>
    public string StatusAt(DateTimeOffset now) => Status == RecommendationStatuses.Open && ExpiresAt <= now ? RecommendationStatuses.Expired : Status;
}

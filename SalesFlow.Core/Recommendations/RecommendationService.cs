using Microsoft.Extensions.Logging;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Reach;

namespace SalesFlow.Core.Recommendations;

/// <summary>
/// Plans a lead's next best actions after every turn and when the timer revisits it, and reads them back with their
/// priority as of now (decayed, shifted by the client's feedback). Planning is derived state: a failure is logged,
/// never fails the turn, and the next turn or timer run plans again.
/// </summary>
public sealed class RecommendationService(
    IRecommendationStore store,
    IConversationStore conversations,
    ILeadProfileStore profiles,
    ILeadStore leads,
    IClientStore clients,
    IMeetingStore meetings,
    ILeadOutcomeStore outcomes,
    TimeProvider clock,
    ILogger<RecommendationService> logger)
{
    /// <summary>Messages read for the contact window and the score: enough to see habits, bounded for a long history.</summary>
    public const int MessageWindow = 50;

    /// <summary>Decisions the feedback adjustment reads: the client's recent taste, not its whole history.</summary>
    public const int FeedbackWindow = 500;

    /// <summary>How often the timer plans a lead again when nothing happens (silence is what makes follow-up, nurture, close-as-lost due).</summary>
    public static readonly TimeSpan RevisitEvery = TimeSpan.FromHours(12);

    /// <summary>
    /// After a committed turn: the turn already holds the lead, client, profile and conversation, the engine the recent
    /// messages and the lead's score as just stored (null when its refresh failed: then the priors score it here).
    /// </summary>
    public async Task AfterTurnAsync(TurnResult turn, IReadOnlyList<Message> messages, LeadScoreResult? score, CancellationToken ct)
    {
        try
        {
            await PlanAsync(turn.Client, turn.Lead, turn.Profile, turn.Conversation, messages, score, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Planning recommendations for lead {LeadId} failed; the timer plans it again", turn.Lead.Id);
        }
    }

    /// <summary>Reads everything about the lead and plans; false when the lead (or its client) is gone.</summary>
    public async Task<bool> RefreshAsync(string clientId, string leadId, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        var lead = await leads.GetAsync(clientId, leadId, ct);
        if (client is null || lead is null)
        {
            return false;
        }

        var profile = await profiles.GetAsync(clientId, leadId, ct);
        var conversation = await conversations.FindForLeadAsync(clientId, leadId, ct);
        IReadOnlyList<Message> messages = conversation is null ? [] : await conversations.ListMessagesAsync(clientId, conversation.Id, MessageWindow, ct);
        // Scored here with the priors, decayed to now (a stored snapshot may be hours old; the turn path passes a fresh one).
        await PlanAsync(client, lead, profile, conversation, messages, null, ct);
        return true;
    }

    /// <summary>The lead's best contact window: its stated zone, else its number's, else the client's.</summary>
    public static ContactWindow? WindowFor(Client client, Lead lead, IReadOnlyList<Message> messages) =>
        ContactWindow.From(messages, LeadTimeZone.For(lead, client));

    public async Task<FeedbackAdjustments> FeedbackAsync(string clientId, CancellationToken ct) =>
        FeedbackAdjustments.From(await store.ListDecisionsAsync(clientId, FeedbackWindow, ct));

    /// <summary>What the planner reads, from what is loaded.</summary>
    /// <param name="score">The lead's stored score; null scores the loaded features with the priors.</param>
    public static PlannerInput Input(Client client, Lead lead, LeadProfile? profile, Conversation? conversation, IReadOnlyList<Message> messages, LeadScoreResult? score, bool meetingBooked, string? outcome, DateTimeOffset now)
    {
        var ordered = messages.OrderBy(m => m.CreatedAt).ToList();
        var trusted = ordered.Where(m => m.Direction == MessageDirection.Outbound || !m.IsUntrusted()).ToList();
        var last = trusted.LastOrDefault();
        var lastInbound = trusted.LastOrDefault(m => m.Direction == MessageDirection.Inbound);
        var lastOutbound = trusted.LastOrDefault(m => m.Direction == MessageDirection.Outbound);
        score ??= LeadScore.Compute(LeadScoreReader.Features(profile, conversation, ordered, lead.CreatedAt, now));
        return new PlannerInput(
            client.Id,
            lead.Id,
            now,
            conversation?.State ?? ConversationState.InitialContact,
            profile?.Bant ?? BantAssessment.Empty,
            score,
            lead.OptedOut,
            lead.Escalated,
            lead.EscalationReason,
            last is { Direction: MessageDirection.Inbound } ? last.Seq : null,
            lastInbound?.CreatedAt ?? conversation?.LastInboundAt,
            lastOutbound?.CreatedAt,
            meetingBooked,
            outcome,
            conversation?.TurnCount ?? 0,
            WindowFor(client, lead, ordered),
            ColleagueFollowUps.LatestIn(trusted, ColleagueFollowUp.SupportCase),
            ColleagueFollowUps.LatestIn(trusted, ColleagueFollowUp.OpenQuestion));
    }

    private async Task PlanAsync(Client client, Lead lead, LeadProfile? profile, Conversation? conversation, IReadOnlyList<Message> messages, LeadScoreResult? score, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var input = Input(client, lead, profile, conversation, messages, score, false, null, now);
        var plan = RecommendationPlanner.Plan(input);

        // The meetings and the outcome are read only when they can change the plan, to keep the turn's round trips few:
        // a booked meeting only matters for the kinds it suppresses or brings; an outcome only empties a plan, and an
        // empty plan already expires whatever is open.
        var ifBooked = RecommendationPlanner.Plan(input with { MeetingBooked = true });
        if (!ifBooked.Select(r => r.Id).SequenceEqual(plan.Select(r => r.Id)) && (await meetings.ListForLeadAsync(client.Id, lead.Id, ct)).Any(m => m.Status == MeetingStatus.Booked))
        {
            plan = ifBooked;
        }

        if (plan.Count > 0 && await outcomes.GetAsync(client.Id, lead.Id, ct) is { } outcome)
        {
            plan = RecommendationPlanner.Plan(input with { Outcome = outcome.Outcome });
        }

        var created = await store.ApplyPlanAsync(client.Id, lead.Id, plan, now, now + RevisitEvery, ct);
        if (created.Count > 0)
        {
            logger.LogInformation("Lead {LeadId}: {Count} new recommendations ({Kinds})", lead.Id, created.Count, string.Join(", ", created.Select(r => r.Kind)));
        }
    }
}

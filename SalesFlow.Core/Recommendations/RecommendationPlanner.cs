using System.Globalization;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Recommendations;

/// <summary>What the planner reads about one lead, all of it already loaded (the planner does no I/O).</summary>
/// <param name="UnansweredInboundSeq">The lead's latest message when nothing of ours followed it; null when we spoke last.</param>
/// <param name="Outcome">"won"/"lost" once the lead ended: nothing more to do.</param>
/// <param name="SupportCaseAt">When SalesFlow last told the lead a colleague would look into its problem (<see cref="ColleagueFollowUp"/>).</param>
/// <param name="OpenQuestionAt">When SalesFlow last answered a question the knowledge base had no answer to.</param>
public sealed record PlannerInput(
    string ClientId,
    string LeadId,
    DateTimeOffset Now,
    ConversationState State,
    BantAssessment Bant,
    LeadScoreResult Score,
    bool OptedOut,
    bool Escalated,
    string? EscalationReason,
    long? UnansweredInboundSeq,
    DateTimeOffset? LastInboundAt,
    DateTimeOffset? LastOutboundAt,
    bool MeetingBooked,
    string? Outcome,
    int Turns,
    ContactWindow? Window,
    DateTimeOffset? SupportCaseAt,
    DateTimeOffset? OpenQuestionAt);

/// <summary>
/// Derives a lead's next best actions from its state, pure and deterministic: the same input gives the same
/// recommendations with the same ids (the trigger names the fact it reacts to), so planning again never duplicates.
/// A lead that opted out, or whose outcome is known, gets none.
/// </summary>
public static class RecommendationPlanner
{
    public const int FollowUpAfterDays = 2;
    public const int NurtureAfterDays = 7;
    public const int CloseAsLostAfterDays = 30;

    public static IReadOnlyList<Recommendation> Plan(PlannerInput input)
    {
        if (input.OptedOut || input.Outcome is not null)
        {
            return [];
        }

        List<Recommendation> plan = [];
        var now = input.Now;
        var windowDue = input.Window?.NextOpening(now);
        var windowText = input.Window is { } w ? $" Best reached {w.StartHour:00}:00–{w.EndHour:00}:00 ({w.TimeZone})." : "";

        void Add(string kind, string trigger, int priority, string reason, DateTimeOffset? due = null) =>
            plan.Add(Recommendation.Create(input.ClientId, input.LeadId, kind, trigger, priority, reason, now, due));

        if (input.Escalated)
        {
            Add(RecommendationKinds.HandToHuman, "escalated", 95, $"The lead is waiting for a person ({input.EscalationReason ?? "escalated"}); SalesFlow no longer answers it automatically.");
        }

        // The reply told the lead a colleague would look into its problem (Conversations.SupportCase): someone has to.
        if (input.SupportCaseAt is { } supportAt && !input.Escalated)
        {
            Add(RecommendationKinds.HandToHuman, $"support:{supportAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)}", 90, "The lead reported a problem (a support case) and was told a colleague would look into it: have support get back to it.");
        }

        // The reply said the team would check (the knowledge base had no answer): someone has to answer, and the answer
        // belongs in the knowledge base so the next lead gets it at once.
        if (input.OpenQuestionAt is { } questionAt && !input.Escalated)
        {
            Add(RecommendationKinds.ReplyNow, $"question:{questionAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)}", 80, "The lead asked a question the knowledge base has no answer to and was told the team would check: answer it personally, and add the answer to the knowledge base.");
        }

        if (input.UnansweredInboundSeq is { } seq)
        {
            Add(RecommendationKinds.ReplyNow, $"seq:{seq}", input.Escalated ? 92 : 85, "The lead's latest message has no answer yet.");
        }

        var silence = input.LastInboundAt is { } lastIn ? (now - lastIn).TotalDays : (double?)null;
        var weSpokeLast = input.UnansweredInboundSeq is null && input.LastOutboundAt is { } lastOut && (input.LastInboundAt is null || lastOut >= input.LastInboundAt);
        var silentSince = input.LastInboundAt?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never";
        if (weSpokeLast && silence is { } days && !input.Escalated)
        {
            if (days >= CloseAsLostAfterDays)
            {
                Add(RecommendationKinds.CloseAsLost, $"silent:{silentSince}", 45, $"No answer for {(int)days} days: close the lead as lost (or try one last personal message).");
            }
            else if (days >= NurtureAfterDays)
            {
                Add(RecommendationKinds.Nurture, $"silent:{silentSince}", 35, $"Silent for {(int)days} days: move the lead to a nurture sequence with useful content, no pressure.", windowDue);
            }
            else if (days >= FollowUpAfterDays)
            {
                Add(RecommendationKinds.FollowUp, $"silent:{silentSince}", 55, $"No answer for {(int)days} days after our last message: follow up personally.{windowText}", windowDue);
            }
        }

        if (input.Escalated || input.State == ConversationState.PostPurchase)
        {
            return plan;
        }

        var bant = input.Bant;
        if (input.Score.Temperature == "hot" && !input.MeetingBooked)
        {
            Add(RecommendationKinds.Call, "hot", 60 + input.Score.Health / 4, $"Hot lead (health {input.Score.Health}/100, {input.Score.Probability:P0} likely to convert): call while the interest is fresh.{windowText}", windowDue);
        }

        if (input.State is ConversationState.ValueProposition or ConversationState.PriceNegotiation or ConversationState.ClosingAttempt && !input.MeetingBooked && bant.Need.Score >= 0.5)
        {
            Add(RecommendationKinds.BookMeeting, $"state:{input.State.ToWire()}", 70, $"The need is clear and the conversation is at {input.State.ToWire().Replace('_', ' ')}: propose a meeting.");
        }

        if (input.State == ConversationState.ObjectionHandling)
        {
            Add(RecommendationKinds.SendCaseStudy, $"objection:{silentSince}", 60, "The lead raised an objection: send a case study of a similar customer that overcame it.");
        }

        if ((input.MeetingBooked || input.State is ConversationState.PriceNegotiation or ConversationState.ClosingAttempt) && bant.Budget.Score >= 0.5 && bant.Timeline.Score >= 0.5)
        {
            Add(RecommendationKinds.SendProposal, "proposal", 75, "Budget and timeline are known and the deal is close: send a written proposal.");
        }

        var gaps = Gaps(bant);
        if (input.Turns >= 2 && gaps.Count > 0 && input.State is ConversationState.InterestQualification or ConversationState.ValueProposition)
        {
            Add(RecommendationKinds.Qualify, $"gaps:{string.Join('+', gaps)}", 30 + 5 * gaps.Count, $"Still unknown after {input.Turns} turns: {string.Join(", ", gaps)}. Ask about them in the next exchange.");
        }

        return plan;
    }

    /// <summary>BANT dimensions the lead has shown next to nothing of.</summary>
    public static IReadOnlyList<string> Gaps(BantAssessment bant) =>
    [
        .. new[] { ("budget", bant.Budget), ("authority", bant.Authority), ("need", bant.Need), ("timeline", bant.Timeline) }
            .Where(d => d.Item2.Score < 0.3)
            .Select(d => d.Item1),
    ];
}

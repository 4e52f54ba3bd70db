using SalesFlow.Core.Coaching;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>Everything a rep needs before calling a lead, in one read: profile, BANT, DISC, score, advice, meetings, CRM ids.</summary>
public static class LeadIntelligenceApi
{
    public static IEndpointRouteBuilder MapLeadIntelligenceApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/leads").WithTags("Qualification").RequireClientKey()
            .MapGet("/{id}/intelligence", GetAsync).WithName("GetLeadIntelligence")
            .WithSummary("Profile, BANT (0–10, traffic light), DISC, score with features and weights, probability, the coach's recommendation, meetings and CRM ids in one call.");
        return app;
    }

    private static async Task<IResult> GetAsync(
        string id,
        HttpContext http,
        ILeadStore leads,
        ILeadProfileStore profiles,
        IConversationStore conversations,
        ILeadScoreStore scores,
        LeadScoreRefresher refresher,
        IMeetingStore meetings,
        ICrmLinkStore crmLinks,
        Core.Recommendations.IRecommendationStore nextActions,
        Core.Recommendations.RecommendationService nextActionService,
        TimeProvider clock,
        CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await leads.GetAsync(client.Id, id, ct);
        if (lead is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var profile = await profiles.GetAsync(client.Id, id, ct);
        var score = await scores.GetAsync(client.Id, id, ct) ?? await refresher.RefreshAsync(client.Id, id, ct);
        var conversation = await conversations.FindForLeadAsync(client.Id, id, ct);
        var recent = conversation is null ? [] : await conversations.ListMessagesAsync(client.Id, conversation.Id, 20, ct);
        var lastLeadText = recent.LastOrDefault(m => m.Direction == MessageDirection.Inbound && !m.IsUntrusted())?.Text ?? "";
        var german = lead.Language == "de";
        // The rules coach answers in the language of the question: ask it in the lead's language.
        var advice = RulesSalesCoach.Answer(new CoachRequest(
            client.Id, id, client.Name, conversation?.State ?? ConversationState.InitialContact, profile, [], lastLeadText,
            german ? "Was soll ich als Nächstes tun?" : "What should I do next?"));
        var link = await crmLinks.GetAsync(client.Id, id, ct);
        return TypedResults.Ok(new
        {
            leadId = id,
            state = conversation?.State.ToWire(),
            profile = LeadProfileDto.From(profile),
            bant = QualificationApi.BantView((profile ?? LeadProfile.New(client.Id, id)).Bant),
            disc = PersonalityApi.DiscView((profile ?? LeadProfile.New(client.Id, id)).Disc),
            score = score is null ? null : QualificationApi.ScoreView(score),
            probability = score?.Score.Probability,
            recommendations = await RecommendationsAsync(client.Id, id, advice, nextActions, nextActionService, clock, ct),
            meetings = (await meetings.ListForLeadAsync(client.Id, id, ct)).Select(MeetingDto.From),
            crm = link is null ? null : new { contactId = link.ContactId, dealId = link.DealId, dealStage = link.DealStage, lastSyncedAt = link.LastSyncedAt },
        });
    }

    /// <summary>The coach's advice first, then the lead's open next best actions, highest priority first.</summary>
    private static async Task<IReadOnlyList<object>> RecommendationsAsync(string clientId, string leadId, string advice, Core.Recommendations.IRecommendationStore store, Core.Recommendations.RecommendationService service, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await store.ListAsync(clientId, new Core.Recommendations.RecommendationFilter(Core.Recommendations.RecommendationStatuses.Open, null, leadId), RecommendationsApi.MaxRanked, ct);
        var feedback = await service.FeedbackAsync(clientId, ct);
        return
        [
            new { source = "coach", text = advice },
            .. RecommendationsApi.Rank(open.Where(r => r.IsOpenAt(now)), feedback, now).Select(x => new
            {
                source = x.Recommendation.Source,
                text = x.Recommendation.Reason,
                id = x.Recommendation.Id,
                kind = x.Recommendation.Kind,
                priority = x.Priority.Effective,
                dueAt = x.Recommendation.DueAt,
            }),
        ];
    }
}

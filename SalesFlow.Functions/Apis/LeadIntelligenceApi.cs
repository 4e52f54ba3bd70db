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
            .WithSummary("Profile, BANT (0–10, traffic light), DISC, score with features and weights, probability, the coach's recommendation, meetings and CRM ids in one call.")
            .Produces<LeadIntelligenceDto>().ProducesProblem(StatusCodes.Status404NotFound);
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
        return TypedResults.Ok(new LeadIntelligenceDto(
            id,
            conversation?.State.ToWire(),
            LeadProfileDto.From(profile),
            QualificationApi.BantView((profile ?? LeadProfile.New(client.Id, id)).Bant),
            PersonalityApi.DiscView((profile ?? LeadProfile.New(client.Id, id)).Disc),
            score is null ? null : QualificationApi.ScoreView(score),
            score?.Score.Probability,
            await RecommendationsAsync(client.Id, id, advice, nextActions, nextActionService, clock, ct),
            [.. (await meetings.ListForLeadAsync(client.Id, id, ct)).Select(MeetingDto.From)],
            link is null ? null : new IntelligenceCrmDto(link.ContactId, link.DealId, link.DealStage, link.LastSyncedAt)));
    }

    /// <summary>The coach's advice first, then the lead's open next best actions, highest priority first.</summary>
    private static async Task<IReadOnlyList<LeadAdviceDto>> RecommendationsAsync(string clientId, string leadId, string advice, Core.Recommendations.IRecommendationStore store, Core.Recommendations.RecommendationService service, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await store.ListAsync(clientId, new Core.Recommendations.RecommendationFilter(Core.Recommendations.RecommendationStatuses.Open, null, leadId), RecommendationsApi.MaxRanked, ct);
        var feedback = await service.FeedbackAsync(clientId, ct);
        return
        [
            new LeadAdviceDto("coach", advice),
            .. RecommendationsApi.Rank(open.Where(r => r.IsOpenAt(now)), feedback, now).Select(x => new LeadAdviceDto(x.Recommendation.Source, x.Recommendation.Reason)
            {
                Id = x.Recommendation.Id,
                Kind = x.Recommendation.Kind,
                Priority = x.Priority.Effective,
                DueAt = x.Recommendation.DueAt,
            }),
        ];
    }
}

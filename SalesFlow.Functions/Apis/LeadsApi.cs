using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Privacy;
using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public static class LeadsApi
{
    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leads").WithTags("Leads").RequireClientKey();
        api.MapGet("/{id}", GetAsync).WithName("GetLead").WithSummary("A lead with its channel identities, conversation state, profile (BANT, DISC, key facts, sentiment) and AI usage totals.")
            .Produces<LeadDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/memory", GetMemoryAsync).WithName("GetLeadMemory").WithSummary("The context the brain sees for this lead.")
            .Produces<LeadMemoryDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/merge", MergeAsync).WithName("MergeLeads").WithSummary("A rep merges another lead (otherLeadId) into this one: its identities move here, both histories are kept, the merge is audited.")
            .Produces<LeadMergeResultDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/release", ReleaseAsync).WithName("ReleaseLead").WithSummary("A human hands the lead back to SalesFlow after an escalation.")
            .Produces<LeadReleaseDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{id}", EraseAsync).WithName("EraseLead").WithSummary("GDPR erasure: every trace of the lead is removed from every store.")
            .Produces<LeadErasureDto>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ILeadStore leads, IConversationStore conversations, ILeadProfileStore profiles, IUsageStore usage, FollowUpOverviewReader followUps, Core.Meetings.IMeetingStore meetings, TimeProvider clock, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await leads.GetAsync(client.Id, id, ct);
        if (lead is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        if (await leads.FindMergeAsync(client.Id, id, ct) is { } mergedAway)
        {
            return MergedAway(http, mergedAway);
        }

        var conversation = await conversations.FindForLeadAsync(client.Id, id, ct);
        var profile = await profiles.GetAsync(client.Id, id, ct);
        var spent = await usage.SummarizeLeadAsync(client.Id, id, ct);
        List<MergedLeadDto> merged = [];
        foreach (var m in await leads.ListMergedIntoAsync(client.Id, id, ct))
        {
            merged.Add(new MergedLeadDto(m.LeadId, (await conversations.FindForLeadAsync(client.Id, m.LeadId, ct))?.Id, m.MergedBy, m.MergedAt));
        }

        var nurture = (await followUps.ReadAsync(client.Id, id, ct)).Nurture;
        var now = clock.GetUtcNow();
        var next = (await meetings.ListForLeadAsync(client.Id, id, ct)).Where(m => m.IsActive && m.End > now).MinBy(m => m.Start);
        return TypedResults.Ok(LeadDto.From(lead, conversation, await leads.ListIdentitiesAsync(client.Id, id, ct), profile, spent.Total, await leads.ListEmailClaimsAsync(client.Id, id, ct), merged, now) with
        {
            Nurture = nurture,
            NextMeeting = next is null ? null : MeetingDto.From(next),
        });
    }

    /// <summary>
    /// 200 with the merge record (the same on a repeat); 400 naming otherLeadId when it is missing or {id} itself, or by
    /// when it is not one short line; 404 naming id or otherLeadId for a lead this client does not have (or one merged away).
    /// </summary>
    private static async Task<IResult> MergeAsync(string id, MergeLeadsRequest? request, HttpContext http, LeadMergeService merger, CancellationToken ct)
    {
        var otherLeadId = request?.OtherLeadId?.Trim();
        if (string.IsNullOrEmpty(otherLeadId))
        {
            return ErrorHandling.BadField(http, "otherLeadId", "otherLeadId is required: the id of the lead to merge into this one.");
        }

        if (otherLeadId == id)
        {
            return ErrorHandling.BadField(http, "otherLeadId", "otherLeadId must be another lead: a lead cannot be merged into itself.");
        }

        var by = request?.By?.Trim();
        if (by is { Length: > 0 } && (by.Length > MaxMergedByLength || by.Any(char.IsControl)))
        {
            return ErrorHandling.BadField(http, "by", $"by names who merges: one line of at most {MaxMergedByLength} characters.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var (outcome, merge) = await merger.MergeAsync(client.Id, id, otherLeadId, string.IsNullOrEmpty(by) ? Core.Conversations.SenderTrust.TrustedByApi : by, ct);
        return outcome switch
        {
            LeadMergeOutcome.LeadNotFound => ErrorHandling.LeadNotFound(http, id),
            LeadMergeOutcome.OtherNotFound => ErrorHandling.Problem(
                http,
                StatusCodes.Status404NotFound,
                merge is null ? $"Lead '{otherLeadId}' not found." : $"Lead '{otherLeadId}' was merged into lead '{merge.IntoLeadId}'.",
                "otherLeadId",
                merge is null ? [] : [new("mergedInto", merge.IntoLeadId)]),
            _ => TypedResults.Ok(new LeadMergeResultDto(merge!.IntoLeadId, merge.LeadId, merge.MergedBy, merge.MergedAt)),
        };
    }

    private const int MaxMergedByLength = 200;

    /// <summary>A lead merged into another answers 404 and names the lead it lives on in.</summary>
    private static IResult MergedAway(HttpContext http, LeadMerge merge) =>
        ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Lead '{merge.LeadId}' was merged into lead '{merge.IntoLeadId}'.", "id", [new("mergedInto", merge.IntoLeadId)]);

    /// <summary>
    /// The three layers as the brain sees them: hot (newest messages), warm (summary with its key-facts and sentiment
    /// snapshot) and cold (how many entries are indexed, and what the lead's latest message recalls).
    /// </summary>
    private static async Task<IResult> GetMemoryAsync(
        string id,
        HttpContext http,
        ILeadStore leads,
        IConversationStore conversations,
        ILeadProfileStore profiles,
        IMemoryStore memory,
        IMemoryIndex index,
        MemoryService memoryService,
        Microsoft.Extensions.Options.IOptions<MemoryOptions> options,
        CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await leads.GetAsync(client.Id, id, ct);
        if (lead is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var window = options.Value.HotWindow;
        var conversation = await conversations.FindForLeadAsync(client.Id, id, ct);
        // What the brain sees (ContextBuilder): untrusted messages (forged e-mail senders) are not part of it.
        var recent = conversation is null ? [] : (await conversations.ListMessagesAsync(client.Id, conversation.Id, window, ct)).Where(m => !m.IsUntrusted()).ToList();
        var summary = await memory.GetSummaryAsync(client.Id, id, ct);
        var latest = recent.LastOrDefault(m => m.Direction == Core.Conversations.MessageDirection.Inbound && !string.IsNullOrWhiteSpace(m.Text));
        IReadOnlyList<Recall> recalls = latest is null || options.Value.RecallTop == 0
            ? []
            : await index.SearchAsync(client.Id, id, await memoryService.EmbedAsync(latest.Text, ct), options.Value.RecallTop, MemoryOptions.RecallFloor, recent[0].Seq, ct);
        return TypedResults.Ok(new LeadMemoryDto(
            lead.Id,
            conversation?.State.ToWire(),
            new MemoryKeyFactsDto(lead.Name, lead.Email, lead.Phone, lead.Language),
            new MemoryFlagsDto(lead.Escalated, lead.EscalationReason, lead.OptedOut),
            [.. (await leads.ListIdentitiesAsync(client.Id, id, ct)).Select(i => new IdentityDto(i.Kind.ToString().ToLowerInvariant(), i.Value))],
            new MemoryHotDto(window, [.. recent.Select(MessageDto.From)]),
            summary is null ? null : new MemoryWarmDto(summary.Text, summary.CoversThroughSeq, summary.UpdatedAt, summary.KeyFacts, summary.Sentiment),
            new MemoryColdDto(
                await index.CountAsync(client.Id, id, ct),
                latest?.Text,
                [.. recalls.Select(r => new MemoryRecallDto(r.Kind, r.Seq, r.Text, r.FromLead, r.At, Math.Round(r.Score, 3)))]),
            LeadProfileDto.From(await profiles.GetAsync(client.Id, id, ct))));
    }

    private static async Task<IResult> ReleaseAsync(string id, HttpContext http, ILeadStore leads, TimeProvider clock, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await leads.GetAsync(client.Id, id, ct);
        if (lead is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var released = lead.Escalated ? await leads.ReplaceAsync(lead.Release(clock.GetUtcNow()), ct) : lead;
        return TypedResults.Ok(new LeadReleaseDto(released.Id, released.Escalated));
    }

    private static async Task<IResult> EraseAsync(string id, HttpContext http, ILeadEraser eraser, ILeadStore leads, ILogger<ILeadEraser> logger, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        await EraseMergedIntoAsync(client.Id, id, eraser, leads, ct);
        var report = await eraser.EraseAsync(client.Id, id, ct);
        if (report is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        logger.LogInformation("Lead {LeadId} of client {ClientId} erased on request", id, client.Id);
        return TypedResults.Ok(new LeadErasureDto(id, true, report.Removed));
    }

    /// <summary>
    /// Leads a rep merged into this one (and into those) are the same person: they are erased too, before it, so a retry
    /// after a crash still finds them through their merge records.
    /// </summary>
    private static async Task EraseMergedIntoAsync(string clientId, string id, ILeadEraser eraser, ILeadStore leads, CancellationToken ct)
    {
        foreach (var merged in await leads.ListMergedIntoAsync(clientId, id, ct))
        {
            await EraseMergedIntoAsync(clientId, merged.LeadId, eraser, leads, ct);
            await eraser.EraseAsync(clientId, merged.LeadId, ct);
        }
    }

}

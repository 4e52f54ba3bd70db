using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Conversations;
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
        api.MapGet("/{id}", GetAsync).WithName("GetLead").WithSummary("A lead with its channel identities, conversation state, profile (BANT, DISC, key facts, sentiment) and AI usage totals.");
        api.MapGet("/{id}/memory", GetMemoryAsync).WithName("GetLeadMemory").WithSummary("The context the brain sees for this lead.");
        api.MapPost("/{id}/release", ReleaseAsync).WithName("ReleaseLead").WithSummary("A human hands the lead back to SalesFlow after an escalation.");
        api.MapDelete("/{id}", EraseAsync).WithName("EraseLead").WithSummary("GDPR erasure: every trace of the lead is removed from every store.");
        return app;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ILeadStore leads, IConversationStore conversations, ILeadProfileStore profiles, IUsageStore usage, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await leads.GetAsync(client.Id, id, ct);
        if (lead is null)
        {
            return NotFound(http, id);
        }

        var conversation = await conversations.FindForLeadAsync(client.Id, id, ct);
        var profile = await profiles.GetAsync(client.Id, id, ct);
        var spent = await usage.SummarizeLeadAsync(client.Id, id, ct);
        return TypedResults.Ok(LeadDto.From(lead, conversation, await leads.ListIdentitiesAsync(client.Id, id, ct), profile, spent.Total));
    }

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
            return NotFound(http, id);
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
        return TypedResults.Ok(new
        {
            leadId = lead.Id,
            state = conversation?.State.ToWire(),
            keyFacts = new { name = lead.Name, email = lead.Email, phone = lead.Phone, language = lead.Language },
            flags = new { escalated = lead.Escalated, escalationReason = lead.EscalationReason, optedOut = lead.OptedOut },
            identities = (await leads.ListIdentitiesAsync(client.Id, id, ct)).Select(i => new IdentityDto(i.Kind.ToString().ToLowerInvariant(), i.Value)),
            hot = new { window, messages = recent.Select(MessageDto.From) },
            warm = summary is null ? null : new
            {
                summary = summary.Text,
                coversThroughSeq = summary.CoversThroughSeq,
                updatedAt = summary.UpdatedAt,
                keyFacts = summary.KeyFacts,
                sentiment = summary.Sentiment,
            },
            cold = new
            {
                indexed = await index.CountAsync(client.Id, id, ct),
                query = latest?.Text,
                recalls = recalls.Select(r => new { kind = r.Kind, seq = r.Seq, text = r.Text, fromLead = r.FromLead, at = r.At, score = Math.Round(r.Score, 3) }),
            },
            profile = LeadProfileDto.From(await profiles.GetAsync(client.Id, id, ct)),
        });
    }

    private static async Task<IResult> ReleaseAsync(string id, HttpContext http, ILeadStore leads, TimeProvider clock, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await leads.GetAsync(client.Id, id, ct);
        if (lead is null)
        {
            return NotFound(http, id);
        }

        var released = lead.Escalated ? await leads.ReplaceAsync(lead.Release(clock.GetUtcNow()), ct) : lead;
        return TypedResults.Ok(new { leadId = released.Id, escalated = released.Escalated });
    }

    private static async Task<IResult> EraseAsync(string id, HttpContext http, ILeadEraser eraser, ILogger<ILeadEraser> logger, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var report = await eraser.EraseAsync(client.Id, id, ct);
        if (report is null)
        {
            return NotFound(http, id);
        }

        logger.LogInformation("Lead {LeadId} of client {ClientId} erased on request", id, client.Id);
        return TypedResults.Ok(new { leadId = id, erased = true, removed = report.Removed });
    }

    private static IResult NotFound(HttpContext http, string id) => ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Lead '{id}' not found.", "id");
}

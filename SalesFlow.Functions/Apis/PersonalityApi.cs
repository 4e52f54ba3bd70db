using System.Text.Json;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// The lead's DISC style: read turn by turn, re-read on demand from all its messages, or set by a rep (then kept over
/// both), and what it means for how to talk to the person. Stored in the lead's profile, written under its ETag.
/// </summary>
public static class PersonalityApi
{
    private const int MaxNoteLength = 500;
    private const int MaxAttempts = 5;

    public static IEndpointRouteBuilder MapPersonalityApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leads").WithTags("Qualification").RequireClientKey();
        api.MapGet("/{id}/personality", GetAsync).WithName("GetLeadPersonality").WithSummary("DISC scores (0–1), the primary style, confidence, the signals used and who set it.")
            .Produces<LeadDiscDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/personality", SetAsync).WithName("SetLeadPersonality").WithSummary("A rep sets the style ({primary: D|I|S|C, note?}); turns and analyses keep it. If-Match optional (412 when stale).")
            .Produces<LeadDiscDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapPost("/{id}/personality/analyze", AnalyzeAsync).WithName("AnalyzeLeadPersonality").WithSummary("Re-reads DISC from all the lead's messages (rules reader); stored unless a rep set it.")
            .Produces<LeadDiscAnalysisDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/personality/recommendations", RecommendAsync).WithName("GetLeadPersonalityRecommendations").WithSummary("How to talk to this person: style, do and don't, pace; in the lead's language (en/de).")
            .Produces<DiscAdviceDto>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static DiscViewDto DiscView(DiscProfile d) =>
        new(d.Dominance, d.Influence, d.Steadiness, d.Conscientiousness, d.Primary, d.Confidence, d.Samples, d.Signals ?? [], d.SetBy ?? "conversation");

    private static Task<IResult> GetAsync(string id, HttpContext http, ILeadStore leads, ILeadProfileStore profiles, CancellationToken ct) =>
        RepProfileEdit.ReadAsync(http, leads, profiles, id, profile => TypedResults.Ok(new LeadDiscDto(id, DiscView(profile.Disc))), ct);

    /// <summary>200 with the rep's reading; 400 naming primary or note (nothing stored); 404 for another client's lead; 412 for a stale If-Match.</summary>
    private static async Task<IResult> SetAsync(string id, JsonElement? body, HttpContext http, ILeadStore leads, ILeadProfileStore profiles, TimeProvider clock, CancellationToken ct)
    {
        if (body is not { ValueKind: JsonValueKind.Object } request)
        {
            return ErrorHandling.BadField(http, "body", "Send an object such as {\"primary\": \"D\", \"note\": \"…\"}.");
        }

        var primary = request.TryGetProperty("primary", out var p) && p.ValueKind == JsonValueKind.String ? ErrorHandling.ReadText(p, "primary").Trim().ToUpperInvariant() : null;
        if (primary is null || !DiscReading.Styles.Contains(primary))
        {
            return ErrorHandling.BadField(http, "primary", "primary must be one of D, I, S, C.");
        }

        string? note = null;
        if (request.TryGetProperty("note", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            note = n.ValueKind == JsonValueKind.String ? ErrorHandling.ReadText(n, "note").Trim() : null;
            if (note is null || note.Length > MaxNoteLength || note.Any(char.IsControl))
            {
                return ErrorHandling.BadField(http, "note", $"note must be one line of text of at most {MaxNoteLength} characters.");
            }
        }

        var client = ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        return await RepProfileEdit.SaveAsync(
            http,
            profiles,
            client.Id,
            id,
            current => current with { Disc = DiscReading.SetByRep(current.Disc, primary, string.IsNullOrEmpty(note) ? null : note), UpdatedAt = clock.GetUtcNow() },
            saved => TypedResults.Ok(new LeadDiscDto(id, DiscView(saved.Disc))),
            ct);
    }

    /// <summary>200 with the stored reading and the fresh one; <c>stored</c> is false when a rep's reading was kept.</summary>
    private static async Task<IResult> AnalyzeAsync(string id, HttpContext http, ILeadStore leads, ILeadProfileStore profiles, IConversationStore conversations, TimeProvider clock, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var conversation = await conversations.FindForLeadAsync(client.Id, id, ct);
        var messages = conversation is null ? [] : await conversations.ListMessagesAsync(client.Id, conversation.Id, LeadScoreReader.MessageWindow, ct);
        var reading = DiscReading.Analyze(messages);
        for (var attempt = 1; ; attempt++)
        {
            var current = await profiles.GetAsync(client.Id, id, ct) ?? LeadProfile.New(client.Id, id);
            if (current.Disc.SetBy is not null)
            {
                RepProfileEdit.WithETag(http, current);
                return TypedResults.Ok(new LeadDiscAnalysisDto(id, DiscView(current.Disc), DiscView(reading), false));
            }

            try
            {
                var saved = await profiles.SaveAsync(current with { Disc = reading, UpdatedAt = clock.GetUtcNow() }, ct);
                RepProfileEdit.WithETag(http, saved);
                return TypedResults.Ok(new LeadDiscAnalysisDto(id, DiscView(saved.Disc), DiscView(reading), true));
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // A turn or a rep wrote meanwhile: look again (a rep's reading wins).
            }
        }
    }

    private static async Task<IResult> RecommendAsync(string id, HttpContext http, ILeadStore leads, ILeadProfileStore profiles, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await leads.GetAsync(client.Id, id, ct);
        if (lead is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var disc = (await profiles.GetAsync(client.Id, id, ct))?.Disc ?? DiscProfile.Empty;
        var advice = DiscAdvisor.For(disc.Primary, string.Equals(lead.Language, "de", StringComparison.OrdinalIgnoreCase));
        return TypedResults.Ok(new DiscAdviceDto(id, advice.Primary, disc.Confidence, advice.Language, advice.Style, advice.Do, advice.Dont, advice.Pace));
    }
}

using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Recommendations;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// Next best actions: the client's open recommendations ranked by priority as of now (decayed by age, shifted by the
/// client's own accept/dismiss feedback, both shown), a rep's feedback on one, and one lead's suggestions with its best
/// contact window.
/// </summary>
public static class RecommendationsApi
{
    /// <summary>Recommendations ranked per request: a client's open ones are a working list, not an archive.</summary>
    public const int MaxRanked = 1000;

    private const int MaxNoteLength = 500;
    private const int MaxAttempts = 5;

    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/recommendations").WithTags("Recommendations").RequireClientKey();
        api.MapGet("/", ListAsync).WithName("ListRecommendations")
            .WithSummary("The client's recommendations (status=open by default; kind, leadId filters), highest effective priority first, paged (cursor, limit).")
            .Produces<RecommendationPageDto>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPatch("/{id}", DecideAsync).WithName("DecideRecommendation")
            .WithSummary("A rep's feedback: {status: accepted|dismissed|done, note?}; If-Match optional (412 on mismatch). A playbook step done or accepted advances its run.")
            .Produces<RecommendationDecisionDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        app.MapGroup("/api/leads").WithTags("Recommendations").RequireClientKey()
            .MapGet("/{id}/suggestions", SuggestionsAsync).WithName("GetLeadSuggestions")
            .WithSummary("The lead's open recommendations, highest priority first, and its best contact window (when it answers fastest, in its time zone).")
            .Produces<LeadSuggestionsDto>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IRecommendationStore store, RecommendationService service, TimeProvider clock, string? status, string? kind, string? leadId, string? cursor, string? limit, CancellationToken ct)
    {
        status = string.IsNullOrEmpty(status) ? RecommendationStatuses.Open : status;
        if (!RecommendationStatuses.All.Contains(status))
        {
            return ErrorHandling.BadField(http, "status", $"status must be one of {string.Join(", ", RecommendationStatuses.All)}.");
        }

        if (!string.IsNullOrEmpty(kind) && !RecommendationKinds.IsKnown(kind))
        {
            return ErrorHandling.BadField(http, "kind", $"kind must be one of {string.Join(", ", RecommendationKinds.All)}.");
        }

        var listing = Paging.Listing("recommendations", status, kind, leadId);
        if (Paging.TryRead(http, listing, cursor, limit, 50, 200, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var now = clock.GetUtcNow();
        var feedback = await service.FeedbackAsync(client.Id, ct);
        var found = await store.ListAsync(client.Id, new RecommendationFilter(status == RecommendationStatuses.Expired ? null : status, NullIfEmpty(kind), NullIfEmpty(leadId)), MaxRanked, ct);
        var ranked = Rank(found.Where(r => r.StatusAt(now) == status), feedback, now);

        // Keyset over the ranking (effective priority, then id): the next page starts strictly after the last one shown.
        var after = page.After is { } p ? ranked.SkipWhile(x => x.Priority.Effective > p.Key || (x.Priority.Effective == p.Key && string.CompareOrdinal(x.Recommendation.Id, p.Id) <= 0)) : ranked;
        var result = Page<(Recommendation Recommendation, RecommendationPriority Priority)>.From([.. after.Take(page.Limit + 1)], page.Limit, x => new PagePosition(x.Priority.Effective, x.Recommendation.Id));
        return TypedResults.Ok(new RecommendationPageDto([.. result.Items.Select(x => View(x.Recommendation, x.Priority, feedback, now))], Paging.Cursor(http, listing, result.Next)));
    }

    /// <summary>200 with the decided recommendation; 400 naming status or note; 404 for another client's; 409 once expired; 412 on an If-Match mismatch.</summary>
    private static async Task<IResult> DecideAsync(string id, DecisionRequest? request, HttpContext http, IRecommendationStore store, RecommendationService service, PlaybookService playbooks, TimeProvider clock, CancellationToken ct)
    {
        var status = request?.Status?.Trim().ToLowerInvariant();
        if (status is null || !RecommendationStatuses.Settable.Contains(status))
        {
            return ErrorHandling.BadField(http, "status", "status must be \"accepted\", \"dismissed\" or \"done\".");
        }

        var note = request!.Note?.Trim();
        if (note is { Length: > MaxNoteLength } || (note?.Any(char.IsControl) ?? false))
        {
            return ErrorHandling.BadField(http, "note", $"note must be one line of at most {MaxNoteLength} characters.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var ifMatch = http.Request.Headers.IfMatch is { Count: > 0 } h && h.ToString() != "*" ? h.ToString() : null;
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var current = await store.GetAsync(client.Id, id, ct);
            if (current is null)
            {
                return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Recommendation '{id}' not found.", "id");
            }

            if (ifMatch is not null && ifMatch != Quoted(current.ETag))
            {
                return ErrorHandling.Problem(http, StatusCodes.Status412PreconditionFailed, "The recommendation changed since it was read (If-Match); read it again.", "If-Match");
            }

            if (current.StatusAt(now) == RecommendationStatuses.Expired)
            {
                return ErrorHandling.Problem(http, StatusCodes.Status409Conflict, $"Recommendation '{id}' has expired: what triggered it no longer holds.", "status");
            }

            var decided = current;
            if (current.Status != status || (note is { Length: > 0 } && note != current.Note))
            {
                try
                {
                    decided = await store.ReplaceAsync(current with { Status = status, Note = string.IsNullOrEmpty(note) ? current.Note : note, DecidedAt = now }, ct);
                }
                catch (ConcurrencyException) when (ifMatch is null && attempt < MaxAttempts)
                {
                    continue;
                }
                catch (ConcurrencyException)
                {
                    return ErrorHandling.Problem(http, StatusCodes.Status412PreconditionFailed, "The recommendation changed since it was read (If-Match); read it again.", "If-Match");
                }
            }

            // Also on a repeat: a crash after the write and before the advance is finished by the rep's retry.
            var run = RecommendationStatuses.IsPositive(decided.Status) ? await playbooks.AdvanceAsync(decided, ct) : null;
            var feedback = await service.FeedbackAsync(client.Id, ct);
            http.Response.Headers.ETag = Quoted(decided.ETag);
            return TypedResults.Ok(new RecommendationDecisionDto(
                View(decided, RecommendationPriority.Of(decided, feedback, now), feedback, now),
                run is null ? null : new PlaybookProgressDto(run.PlaybookId, run.CurrentStep, run.CompletedAt)));
        }
    }

    private static async Task<IResult> SuggestionsAsync(string id, HttpContext http, ILeadStore leads, IConversationStore conversations, IRecommendationStore store, RecommendationService service, TimeProvider clock, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await leads.GetAsync(client.Id, id, ct);
        if (lead is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var now = clock.GetUtcNow();
        var conversation = await conversations.FindForLeadAsync(client.Id, id, ct);
        IReadOnlyList<Message> messages = conversation is null ? [] : await conversations.ListMessagesAsync(client.Id, conversation.Id, RecommendationService.MessageWindow, ct);
        var window = RecommendationService.WindowFor(client, lead, messages);
        var feedback = await service.FeedbackAsync(client.Id, ct);
        var open = await store.ListAsync(client.Id, new RecommendationFilter(RecommendationStatuses.Open, null, id), MaxRanked, ct);
        return TypedResults.Ok(new LeadSuggestionsDto(id, lead.OptedOut, WindowView(window), [.. Rank(open.Where(r => r.IsOpenAt(now)), feedback, now).Select(x => View(x.Recommendation, x.Priority, feedback, now))]));
    }

    /// <summary>Highest effective priority first, then by id (a stable order for paging).</summary>
    internal static List<(Recommendation Recommendation, RecommendationPriority Priority)> Rank(IEnumerable<Recommendation> recommendations, FeedbackAdjustments feedback, DateTimeOffset now) =>
    [
        .. recommendations.Select(r => (Recommendation: r, Priority: RecommendationPriority.Of(r, feedback, now)))
            .OrderByDescending(x => x.Priority.Effective)
            .ThenBy(x => x.Recommendation.Id, StringComparer.Ordinal),
    ];

    internal static RecommendationDto View(Recommendation r, RecommendationPriority priority, FeedbackAdjustments feedback, DateTimeOffset now)
    {
        var kindFeedback = feedback.For(r.Kind);
        return new RecommendationDto(
            r.Id,
            r.LeadId,
            r.Kind,
            r.StatusAt(now),
            r.Source,
            r.Reason,
            priority.Effective,
            priority.Base,
            priority.Decayed,
            priority.FeedbackAdjustment,
            new RecommendationFeedbackDto(kindFeedback.Positive, kindFeedback.Dismissed),
            r.CreatedAt,
            r.DueAt,
            r.ExpiresAt,
            r.DecidedAt,
            r.Note,
            r.PlaybookId,
            r.PlaybookStep,
            Quoted(r.ETag));
    }

    internal static ContactWindowDto? WindowView(ContactWindow? w) => w is null ? null : new(
        w.TimeZone,
        w.StartHour,
        w.EndHour,
        [.. w.Days.Select(d => d.ToString().ToLowerInvariant())],
        w.MedianReplyMinutes,
        w.Samples,
        $"{w.StartHour:00}:00–{w.EndHour:00}:00 {w.TimeZone}" + (w.Days.Count > 0 ? $", best on {string.Join(" and ", w.Days)}" : ""));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Quoted(string etag) => $"\"{etag}\"";
}

public sealed record DecisionRequest(string? Status, string? Note);

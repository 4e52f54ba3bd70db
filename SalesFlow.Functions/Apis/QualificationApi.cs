using System.Text.Json;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// The rep's view of qualification: BANT on a 0–10 scale (readable and settable), the lead score with its features and
/// weights, and the won/lost outcome. BANT is stored 0 … 1 in the profile; the API speaks 0–10 as reps do.
/// </summary>
public static class QualificationApi
{
    private static readonly string[] Dimensions = ["budget", "authority", "need", "timeline"];
    private const int MaxEvidenceLength = 500;
    private const int MaxReasonLength = 500;

    public static IEndpointRouteBuilder MapQualificationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leads").WithTags("Qualification").RequireClientKey();
        api.MapGet("/{id}/bant", GetBantAsync).WithName("GetLeadBant").WithSummary("BANT per dimension (score 0–10 with evidence and who set it), overall 0–10 and a traffic light.")
            .Produces<LeadBantDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/bant", SetBantAsync).WithName("SetLeadBant").WithSummary("A rep sets one or more BANT dimensions ({budget: {score, evidence?}, …}); later turns leave them as set. If-Match optional.")
            .Produces<LeadBantDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        api.MapGet("/{id}/score", GetScoreAsync).WithName("GetLeadScore").WithSummary("HOT/WARM/COLD, a 0–100 health score and a conversion probability, with the features and weights used.")
            .Produces<LeadScoreDto>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/outcome", SetOutcomeAsync).WithName("SetLeadOutcome").WithSummary("A rep records how the lead ended: {outcome: won|lost, value?, reason?}.")
            .Produces<LeadOutcomeDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/outcome", GetOutcomeAsync).WithName("GetLeadOutcome").WithSummary("How the lead ended (won/lost, value, reason, source), 404 while open.")
            .Produces<LeadOutcomeDto>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static BantViewDto BantView(BantAssessment bant) => new(
        DimensionView(bant.Budget),
        DimensionView(bant.Authority),
        DimensionView(bant.Need),
        DimensionView(bant.Timeline),
        Math.Round(bant.Overall * 10, 1),
        TrafficLight(bant.Overall));

    /// <summary>Green from 6/10 (the HOT line), amber from 3/10, red below.</summary>
    internal static string TrafficLight(double overall) => overall >= 0.6 ? "green" : overall >= 0.3 ? "amber" : "red";

    private static BantDimensionViewDto DimensionView(BantDimension d) => new(Math.Round(d.Score * 10, 1), d.Evidence, d.SetBy ?? "conversation");

    private static Task<IResult> GetBantAsync(string id, HttpContext http, ILeadStore leads, ILeadProfileStore profiles, CancellationToken ct) =>
        RepProfileEdit.ReadAsync(http, leads, profiles, id, profile => TypedResults.Ok(new LeadBantDto(id, BantView(profile.Bant))), ct);

    /// <summary>
    /// 200 with the new BANT; 400 naming the first bad field (nothing stored); 404 for a lead this client does not have;
    /// 412 when If-Match names a profile version that is no longer current. Without If-Match a lost race re-applies the change.
    /// </summary>
    private static async Task<IResult> SetBantAsync(string id, JsonElement? body, HttpContext http, ILeadStore leads, ILeadProfileStore profiles, TimeProvider clock, CancellationToken ct)
    {
        if (body is not { ValueKind: JsonValueKind.Object } request)
        {
            return ErrorHandling.BadField(http, "body", "Send an object such as {\"budget\": {\"score\": 7, \"evidence\": \"…\"}}.");
        }

        Dictionary<string, BantDimension> set = [];
        foreach (var property in request.EnumerateObject())
        {
            var (dimension, error) = ReadDimension(property);
            if (error is not null)
            {
                return ErrorHandling.BadField(http, error.Value.Field, error.Value.Message);
            }

            set[property.Name] = dimension!;
        }

        if (set.Count == 0)
        {
            return ErrorHandling.BadField(http, "body", "Set at least one of budget, authority, need, timeline.");
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
            current => current with
            {
                Bant = new BantAssessment(
                    set.GetValueOrDefault("budget", current.Bant.Budget),
                    set.GetValueOrDefault("authority", current.Bant.Authority),
                    set.GetValueOrDefault("need", current.Bant.Need),
                    set.GetValueOrDefault("timeline", current.Bant.Timeline)),
                UpdatedAt = clock.GetUtcNow(),
            },
            saved => TypedResults.Ok(new LeadBantDto(id, BantView(saved.Bant))),
            ct);
    }

    private static (BantDimension? Dimension, (string Field, string Message)? Error) ReadDimension(JsonProperty property)
    {
        var name = property.Name;
        if (!Dimensions.Contains(name, StringComparer.Ordinal))
        {
            return (null, (name, $"'{name}' is not a BANT dimension: use budget, authority, need or timeline."));
        }

        if (property.Value.ValueKind != JsonValueKind.Object)
        {
            return (null, (name, $"{name} must be an object {{score, evidence?}}."));
        }

        if (!property.Value.TryGetProperty("score", out var scoreElement) || scoreElement.ValueKind != JsonValueKind.Number
            || !scoreElement.TryGetDouble(out var score) || !double.IsFinite(score) || score is < 0 or > 10)
        {
            return (null, ($"{name}.score", $"{name}.score must be a number from 0 to 10."));
        }

        List<string> evidence = [];
        if (property.Value.TryGetProperty("evidence", out var evidenceElement) && evidenceElement.ValueKind != JsonValueKind.Null)
        {
            var text = evidenceElement.ValueKind == JsonValueKind.String ? ErrorHandling.ReadText(evidenceElement, $"{name}.evidence").Trim() : null;
            if (text is null || text.Length > MaxEvidenceLength || text.Any(char.IsControl))
            {
                return (null, ($"{name}.evidence", $"{name}.evidence must be one line of text of at most {MaxEvidenceLength} characters."));
            }

            if (text.Length > 0)
            {
                evidence.Add(text);
            }
        }

        return (new BantDimension(Math.Round(score / 10, 3), evidence, BantDimension.Rep), null);
    }

    private static async Task<IResult> GetScoreAsync(string id, HttpContext http, ILeadStore leads, ILeadScoreStore scores, LeadScoreRefresher refresher, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        var snapshot = await StoredScoreAsync(client.Id, id, leads, scores, refresher, ct);
        return snapshot is null ? ErrorHandling.LeadNotFound(http, id) : TypedResults.Ok(new LeadScoreDto(id, ScoreView(snapshot)));
    }

    /// <summary>The lead's stored score; scored now (and stored) when the lead never had one. Null for a lead this client does not have.</summary>
    internal static async Task<LeadScoreSnapshot?> StoredScoreAsync(string clientId, string id, ILeadStore leads, ILeadScoreStore scores, LeadScoreRefresher refresher, CancellationToken ct)
    {
        if (await leads.GetAsync(clientId, id, ct) is null)
        {
            return null;
        }

        return await scores.GetAsync(clientId, id, ct) ?? await refresher.RefreshAsync(clientId, id, ct);
    }

    internal static ScoreViewDto ScoreView(LeadScoreSnapshot snapshot) => new(
        snapshot.Score.Temperature,
        snapshot.Score.Health,
        snapshot.Score.Probability,
        snapshot.Model,
        snapshot.ModelOutcomes,
        snapshot.ComputedAt,
        snapshot.Score.Bias,
        [.. snapshot.Score.Terms.Select(t => new ScoreFeatureDto(t.Feature, t.Raw, t.Scaled, t.Weight, t.Contribution))]);

    /// <summary>200 with the stored outcome; 400 naming outcome, value or reason (nothing stored); 404 for another client's lead.</summary>
    private static async Task<IResult> SetOutcomeAsync(string id, OutcomeRequest? request, HttpContext http, ILeadStore leads, ILeadOutcomeStore outcomes, TimeProvider clock, CancellationToken ct)
    {
        var outcome = request?.Outcome?.Trim().ToLowerInvariant();
        if (outcome is not (LeadOutcomes.Won or LeadOutcomes.Lost))
        {
            return ErrorHandling.BadField(http, "outcome", "outcome must be \"won\" or \"lost\".");
        }

        if (request!.Value is < 0)
        {
            return ErrorHandling.BadField(http, "value", "value is the deal value: a number of at least 0.");
        }

        var reason = request.Reason?.Trim();
        if (reason is { Length: > MaxReasonLength } || (reason?.Any(char.IsControl) ?? false))
        {
            return ErrorHandling.BadField(http, "reason", $"reason must be one line of at most {MaxReasonLength} characters.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var stored = new LeadOutcome(client.Id, id, outcome, request.Value, string.IsNullOrEmpty(reason) ? null : reason, "api", clock.GetUtcNow());
        await outcomes.SetAsync(stored, ct);
        return TypedResults.Ok(OutcomeView(stored));
    }

    private static async Task<IResult> GetOutcomeAsync(string id, HttpContext http, ILeadStore leads, ILeadOutcomeStore outcomes, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        return await outcomes.GetAsync(client.Id, id, ct) is { } outcome
            ? TypedResults.Ok(OutcomeView(outcome))
            : ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Lead '{id}' has no outcome yet.", "outcome");
    }

    internal static LeadOutcomeDto OutcomeView(LeadOutcome o) => new(o.LeadId, o.Outcome, o.Value, o.Reason, o.Source, o.At);


}

public sealed record OutcomeRequest(string? Outcome, decimal? Value, string? Reason);

using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Recommendations;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// Playbooks: a client's step sequences (each step a recommendation kind, due some days after it begins), started per
/// lead (idempotent) and advanced as reps mark each step's recommendation done or accepted.
/// </summary>
public static class PlaybooksApi
{
    public const int MaxSteps = 20;
    public const int MaxNameLength = 100;
    public const int MaxDueAfterDays = 365;

    public static IEndpointRouteBuilder MapPlaybooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/playbooks").WithTags("Recommendations").RequireClientKey();
        api.MapPost("/", CreateAsync).WithName("CreatePlaybook").WithSummary("Defines a playbook: {name, steps: [{name, action (a recommendation kind), dueAfterDays?}]}.")
            .Produces<PlaybookDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/", ListAsync).WithName("ListPlaybooks").WithSummary("The client's playbooks, oldest first.")
            .Produces<PlaybookListDto>();
        var leads = app.MapGroup("/api/leads").WithTags("Recommendations").RequireClientKey();
        leads.MapPost("/{id}/playbooks/{playbookId}/start", StartAsync).WithName("StartLeadPlaybook")
            .WithSummary("Starts the playbook for the lead (201), or returns the run already started (200); its open step is an open recommendation.")
            .Produces<PlaybookRunDto>(StatusCodes.Status201Created).Produces<PlaybookRunDto>().ProducesProblem(StatusCodes.Status404NotFound);
        leads.MapGet("/{id}/playbooks", RunsAsync).WithName("ListLeadPlaybooks").WithSummary("The lead's playbook runs with each step's progress.")
            .Produces<LeadPlaybookRunsDto>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>201 with the playbook; 400 naming the first bad field (name, steps, steps[i].name, steps[i].action, steps[i].dueAfterDays).</summary>
    private static async Task<IResult> CreateAsync(PlaybookRequest? request, HttpContext http, IPlaybookStore store, TimeProvider clock, CancellationToken ct)
    {
        var name = request?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return ErrorHandling.BadField(http, "name", $"name is required: one line of at most {MaxNameLength} characters.");
        }

        if (request!.Steps is not { Count: > 0 and <= MaxSteps } steps)
        {
            return ErrorHandling.BadField(http, "steps", $"steps must list 1 to {MaxSteps} steps.");
        }

        List<PlaybookStep> valid = [];
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var stepName = step?.Name?.Trim();
            if (string.IsNullOrEmpty(stepName) || stepName.Length > MaxNameLength || stepName.Any(char.IsControl))
            {
                return ErrorHandling.BadField(http, $"steps[{i}].name", $"Each step needs a name: one line of at most {MaxNameLength} characters.");
            }

            var action = step!.Action?.Trim().ToLowerInvariant();
            if (!RecommendationKinds.IsKnown(action))
            {
                return ErrorHandling.BadField(http, $"steps[{i}].action", $"action must be a recommendation kind: {string.Join(", ", RecommendationKinds.All)}.");
            }

            if (step.DueAfterDays is < 0 or > MaxDueAfterDays)
            {
                return ErrorHandling.BadField(http, $"steps[{i}].dueAfterDays", $"dueAfterDays must be a whole number from 0 to {MaxDueAfterDays}.");
            }

            valid.Add(new PlaybookStep(stepName, action!, step.DueAfterDays));
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var playbook = new Playbook(Ids.New("pb"), client.Id, name, valid, clock.GetUtcNow());
        await store.AddAsync(playbook, ct);
        return TypedResults.Created($"/api/playbooks/{playbook.Id}", View(playbook));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IPlaybookStore store, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        return TypedResults.Ok(new PlaybookListDto([.. (await store.ListAsync(client.Id, ct)).Select(View)]));
    }

    private static async Task<IResult> StartAsync(string id, string playbookId, HttpContext http, ILeadStore leads, IPlaybookStore store, PlaybookService playbooks, IRecommendationStore recommendations, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        if (await store.GetAsync(client.Id, playbookId, ct) is not { } playbook)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Playbook '{playbookId}' not found.", "playbookId");
        }

        var (run, started) = await playbooks.StartAsync(playbook, id, ct);
        var view = await RunViewAsync(playbook, run, recommendations, ct);
        return started ? TypedResults.Created($"/api/leads/{id}/playbooks", view) : TypedResults.Ok(view);
    }

    private static async Task<IResult> RunsAsync(string id, HttpContext http, ILeadStore leads, IPlaybookStore store, IRecommendationStore recommendations, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        List<PlaybookRunDto> items = [];
        foreach (var run in await store.ListRunsAsync(client.Id, id, ct))
        {
            if (await store.GetAsync(client.Id, run.PlaybookId, ct) is { } playbook)
            {
                items.Add(await RunViewAsync(playbook, run, recommendations, ct));
            }
        }

        return TypedResults.Ok(new LeadPlaybookRunsDto(id, items));
    }

    private static async Task<PlaybookRunDto> RunViewAsync(Playbook playbook, PlaybookRun run, IRecommendationStore recommendations, CancellationToken ct)
    {
        var open = run.CompletedAt is null
            ? await recommendations.GetAsync(playbook.ClientId, Recommendation.IdFor(playbook.ClientId, run.LeadId, playbook.Steps[run.CurrentStep].Action, PlaybookRun.StepTrigger(playbook.Id, run.CurrentStep)), ct)
            : null;
        return new PlaybookRunDto(
            playbook.Id,
            playbook.Name,
            run.StartedAt,
            run.CompletedAt,
            run.CompletedAt is not null,
            run.CurrentStep,
            [
                .. playbook.Steps.Select((s, i) => new PlaybookRunStepDto(
                    i,
                    s.Name,
                    s.Action,
                    i < run.CurrentStep ? "done" : i == run.CurrentStep ? "open" : "pending",
                    i < run.StepsDone.Count ? run.StepsDone[i] : null,
                    Recommendation.IdFor(playbook.ClientId, run.LeadId, s.Action, PlaybookRun.StepTrigger(playbook.Id, i)),
                    i == run.CurrentStep ? open?.DueAt : null)),
            ]);
    }

    private static PlaybookDto View(Playbook p) => new(p.Id, p.Name, p.CreatedAt, [.. p.Steps.Select(s => new PlaybookStepDto(s.Name, s.Action, s.DueAfterDays))]);
}

public sealed record PlaybookStepRequest(string? Name, string? Action, int? DueAfterDays);

public sealed record PlaybookRequest(string? Name, IReadOnlyList<PlaybookStepRequest?>? Steps);

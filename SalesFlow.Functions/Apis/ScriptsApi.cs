using SalesFlow.Core.Coaching;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>Call and message scripts for a rep, personalised to the lead and vetted by the compliance filter.</summary>
public static class ScriptsApi
{
    public static IEndpointRouteBuilder MapScriptsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/leads").WithTags("Qualification").RequireClientKey()
            .MapPost("/{id}/scripts", WriteAsync).WithName("WriteLeadScript")
            .WithSummary($"A call or message script for this lead: {{goal ({string.Join(", ", ScriptNames.Goals)}), channel ({WireNames.List<ScriptChannel>()})}} → sections of lines in the lead's language, personalised by its DISC style, the BANT criteria still open and the objections in its latest messages, every line through the compliance filter (verdict and rules shown).")
            .Produces<LeadScriptDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public sealed record ScriptRequestBody(string? Goal, string? Channel);

    private static async Task<IResult> WriteAsync(string id, ScriptRequestBody? body, HttpContext http, ILeadStore leads, SalesScriptService scripts, CancellationToken ct)
    {
        if (!ScriptNames.TryParseGoal(body?.Goal, out var goal))
        {
            return ErrorHandling.BadField(http, "goal", $"goal must be one of {string.Join(", ", ScriptNames.Goals)}.");
        }

        if (!WireNames.TryParse<ScriptChannel>(body!.Channel, out var channel))
        {
            return ErrorHandling.BadField(http, "channel", $"channel must be one of {WireNames.List<ScriptChannel>()}.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var lead = await leads.GetAsync(client.Id, id, ct);
        if (lead is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var vetted = await scripts.WriteAsync(client, lead, goal, channel, ct);
        var script = vetted.Script;
        return TypedResults.Ok(new LeadScriptDto(
            id,
            script.Goal.ToWire(),
            script.Channel.ToWire(),
            script.Language,
            new ScriptBasisDto(script.Style, script.BantGaps, script.Objections),
            [.. script.Sections.Select(s => new ScriptSectionDto(s.Name, s.Lines))],
            string.Join("\n", script.Sections.SelectMany(s => s.Lines)),
            new ScriptComplianceDto(ComplianceApi.CheckVerdict(vetted.Verdict), ComplianceApi.RuleViews(vetted.RuleIds))));
    }
}

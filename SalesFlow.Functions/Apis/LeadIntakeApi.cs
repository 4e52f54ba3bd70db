using SalesFlow.Core.Clients;
using SalesFlow.Core.Channels;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Outreach;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>The consent flags of POST /api/leads: what the lead agreed to be contacted on.</summary>
public sealed record ConsentRequest(bool? WhatsApp, bool? Sms, bool? Email);

/// <summary>POST /api/leads: a lead from a web form, an ad platform or a CRM.</summary>
public sealed record CreateLeadRequest(string? Name, string? Phone, string? Email, ConsentRequest? Consent, string? Source, string? Interest, string? Message);

/// <summary>
/// Speed to lead (POST /api/leads, POST /api/leads/import) and the lead's follow-ups (GET /api/leads/{id}/followups);
/// the client's API key like the other lead routes.
/// </summary>
public static class LeadIntakeApi
{
    /// <summary>Rows one import may carry; a bigger file is refused whole (413) rather than half imported.</summary>
    public const int MaxImportRows = 1000;

    public static IEndpointRouteBuilder MapLeadIntakeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/leads").WithTags("Leads").RequireClientKey();
        api.MapPost("/", CreateAsync).WithName("CreateLead").WithSummary("Speed to lead: creates or finds the lead and queues a personalised first message on the best consented channel; 201, or 200 for a repeat within 24 hours (no second greeting) and for a lead who opted out (nothing sent).")
            .Produces<LeadIntakeDto>(StatusCodes.Status201Created)
            .Produces<LeadIntakeDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/import", ImportAsync).WithName("ImportLeads").WithSummary("Each CSV row as POST /api/leads; per-row results and errors (row number, field, message).")
            .DescribesBody(typeof(string), "text/csv")
            .Produces<LeadImportDto>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/{id}/followups", FollowUpsAsync).WithName("GetLeadFollowUps").WithSummary("What is scheduled (the next step and when) and what was sent (step, channel, status, time); nurture once the cadence ran out unanswered.")
            .Produces<FollowUpsDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> CreateAsync(CreateLeadRequest? request, HttpContext http, SpeedToLeadService speed, CancellationToken ct)
    {
        if (request is null)
        {
            return ErrorHandling.BadField(http, "body", "The body must be a JSON object: {name, phone?, email?, consent: {whatsapp?, sms?, email?}, source?, interest?, message?}.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var outcome = await AcceptAsync(client, Submission(request), speed, ct);
        return outcome switch
        {
            { Error: { } e } => e.Field == "consent"
                ? ErrorHandling.Problem(http, StatusCodes.Status422UnprocessableEntity, e.Message, "consent")
                : ErrorHandling.BadField(http, e.Field, e.Message),
            { Result: { Outcome: FirstContactOutcome.Queued } r } => TypedResults.Created($"/api/leads/{r.LeadId}", Body(r)),
            { Result: { } r } => TypedResults.Ok(Body(r)),
            _ => throw new InvalidOperationException("A lead submission has a result or an error."),
        };
    }

    private sealed record Accepted(FirstContactResult? Result, SubmissionError? Error);

    private static async Task<Accepted> AcceptAsync(Client client, LeadSubmission submission, SpeedToLeadService speed, CancellationToken ct)
    {
        var (valid, error) = SpeedToLeadService.Validate(client, submission);
        if (valid is null)
        {
            return new(null, error);
        }

        // Before anything is stored: a lead nobody may contact is not created.
        var route = SpeedToLeadService.RouteFor(client, valid);
        return route is null
            ? new(null, new SubmissionError("consent", SpeedToLeadService.NoRouteReason(client, valid)))
            : new(await speed.AcceptAsync(client, valid, route, ct), null);
    }

    private static LeadSubmission Submission(CreateLeadRequest r) =>
        new(r.Name, r.Phone, r.Email, new ContactConsent(r.Consent?.WhatsApp ?? false, r.Consent?.Sms ?? false, r.Consent?.Email ?? false), r.Source, r.Interest, r.Message);

    private static LeadIntakeDto Body(FirstContactResult r) => new(
        r.LeadId,
        r.ConversationId,
        r.Channel?.ToWire(),
        r.OutboxId,
        StatusOf(r.Outcome),
        r.LeadCreated,
        r.SendAt,
        r.Outcome switch
        {
            FirstContactOutcome.Repeat => "The lead got a first message less than 24 hours ago; no second greeting was written.",
            FirstContactOutcome.OptedOut => "The lead opted out earlier; no message was written.",
            _ => null,
        });

    private static string StatusOf(FirstContactOutcome outcome) => outcome switch
    {
        FirstContactOutcome.Queued => "queued",
        FirstContactOutcome.Repeat => "repeat",
        FirstContactOutcome.OptedOut => "opted_out",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>
    /// text/csv (see <see cref="LeadCsv"/> for the columns). 200 with one result per data row (row numbers count the
    /// header as row 1) and the totals; a bad row is reported and skipped, the others go on. 413 for more than
    /// <see cref="MaxImportRows"/> rows (or a body over SalesFlow:MaxRequestBodyBytes), 415 for another content type.
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext http, SpeedToLeadService speed, CancellationToken ct)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("text/csv" or "application/csv" or "text/plain"))
        {
            return ErrorHandling.Problem(http, StatusCodes.Status415UnsupportedMediaType, "An import is a CSV body (Content-Type: text/csv).", "Content-Type");
        }

        using var reader = new StreamReader(http.Request.Body);
        var csv = await reader.ReadToEndAsync(ct);
        IReadOnlyList<LeadCsvRow> rows;
        try
        {
            rows = LeadCsv.Parse(csv, MaxImportRows);
        }
        catch (TooManyRowsException e)
        {
            return ErrorHandling.Problem(http, StatusCodes.Status413PayloadTooLarge, e.Message, "body", [new("maxRows", e.MaxRows)]);
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var results = new List<LeadImportRowDto>(rows.Count);
        var failed = 0;
        foreach (var row in rows)
        {
            var outcome = row.Error is { } parseError ? new Accepted(null, parseError) : await AcceptAsync(client, row.Submission!, speed, ct);
            failed += outcome.Error is null ? 0 : 1;
            results.Add(outcome switch
            {
                { Error: { } e } => new LeadImportRowErrorDto(row.Row, "error", [new FieldErrorDto(e.Field, e.Message)]),
                { Result: { } r } => (LeadImportRowDto)new LeadImportRowAcceptedDto(row.Row, StatusOf(r.Outcome), r.LeadId, r.ConversationId, r.Channel?.ToWire(), r.OutboxId, r.LeadCreated),
                _ => throw new InvalidOperationException("A lead submission has a result or an error."),
            });
        }

        return TypedResults.Ok(new LeadImportDto(rows.Count, rows.Count - failed, failed, results));
    }

    private static async Task<IResult> FollowUpsAsync(string id, HttpContext http, ILeadStore leads, FollowUpOverviewReader reader, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var overview = await reader.ReadAsync(client.Id, id, ct);
        return TypedResults.Ok(new FollowUpsDto(
            id,
            overview.Status,
            overview.Reason,
            overview.Nurture,
            overview.Cycle,
            overview.Steps,
            overview.StepsDone,
            overview.Next is { } n ? new FollowUpNextDto(n.Step, n.DueAt) : null,
            [.. overview.Sent.Select(s => new FollowUpSentDto(s.Step, s.Cycle, s.OutboxId, s.Channel.ToWire(), s.Status, s.Error, s.At, s.UpdatedAt))]));
    }
}

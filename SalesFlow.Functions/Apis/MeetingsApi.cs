using SalesFlow.Core.Clients;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;
using SalesFlow.Infrastructure.Meetings;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// Meetings over HTTP: a lead's meetings for the client's tools, and Cal.com's booking webhook. Under the Functions
/// host both are served by the existing catch-alls (api/leads/{*rest}, api/webhooks/{*rest}).
/// </summary>
public static class MeetingsApi
{
    public static IEndpointRouteBuilder MapMeetingsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/leads").WithTags("Leads").RequireClientKey()
            .MapGet("/{id}/meetings", ListForLeadAsync).WithName("GetLeadMeetings").WithSummary("The lead's meetings (Cal.com or SalesFlow's own calendar), newest start first.")
            .Produces<LeadMeetingsDto>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGroup("/api/webhooks").WithTags("Webhooks")
            .MapPost("/calcom/{clientId}", CalComAsync).WithName("CalComWebhook")
            .WithSummary("Cal.com booking webhook (X-Cal-Signature-256, the client's calcom.webhookSecret): BOOKING_CREATED, BOOKING_RESCHEDULED and BOOKING_CANCELLED update the meeting they name; a repeat changes nothing; an unknown booking is ignored.")
            .Produces<CalendarWebhookOutcomeDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListForLeadAsync(string id, HttpContext http, ILeadStore leads, IMeetingStore meetings, CancellationToken ct)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var found = await meetings.ListForLeadAsync(client.Id, id, ct);
        return TypedResults.Ok(new LeadMeetingsDto(id, [.. found.Select(MeetingDto.From)]));
    }

    private static async Task<IResult> CalComAsync(string clientId, HttpContext http, IClientStore clients, CalendarBookingUpdater updater, ILoggerFactory loggers, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        if (client is null)
        {
            return WebhooksApi.UnknownClient(http, clientId);
        }

        var body = await WebhooksApi.ReadBodyAsync(http, ct);
        if (!CalComSignature.IsValid(client.Config?.CalCom?.WebhookSecret, body, http.Request.Headers[CalComSignature.HeaderName]))
        {
            return WebhooksApi.BadSignature(http, CalComSignature.HeaderName);
        }

        var change = CalComWebhookPayload.Parse(body);
        if (change is null)
        {
            return TypedResults.Ok(new CalendarWebhookOutcomeDto("ignored"));
        }

        var outcome = await updater.ApplyAsync(client.Id, change, ct);
        if (outcome == CalendarChangeOutcome.UnknownBooking)
        {
            loggers.CreateLogger("SalesFlow.Webhooks").LogInformation("Cal.com reported {Change} of booking {BookingUid}, which is no meeting of client {ClientId}; ignored", change.Kind, change.ExternalId, client.Id);
        }

        return TypedResults.Ok(new CalendarWebhookOutcomeDto(outcome.ToString().ToLowerInvariant()));
    }
}

/// <summary>A meeting as the API shows it (the attendee's contact as the lead gave it).</summary>
public sealed record MeetingDto(
    string Id,
    string Provider,
    string? ExternalId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string TimeZone,
    string Status,
    string? Location,
    MeetingAttendeeDto Attendee,
    DateTimeOffset CreatedAt,
    string? CancelReason,
    string? Error)
{
    public static MeetingDto From(Meeting m) => new(
        m.Id,
        m.Provider,
        m.ExternalId,
        m.Start,
        m.End,
        m.TimeZone,
        m.Status,
        m.Location,
        new MeetingAttendeeDto(m.AttendeeName, m.AttendeeEmail, m.AttendeePhone),
        m.CreatedAt,
        m.CancelReason,
        m.Error);
}

public sealed record MeetingAttendeeDto(string? Name, string? Email, string? Phone);

using System.Text.Json;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Leads;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Functions.Apis;

/// <summary>The lead's CRM sync as the client sees it, and HubSpot's webhooks that tell SalesFlow what humans did to a deal.</summary>
public static class CrmApi
{
    public static IEndpointRouteBuilder MapCrmApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/leads").WithTags("Leads").RequireClientKey()
            .MapGet("/{id}/crm", GetAsync).WithName("GetLeadCrm")
            .WithSummary("The lead's HubSpot sync: configured?, contact and deal ids, the last sync and the last error, and the outcome (won/lost).")
            .Produces<LeadCrmDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGroup("/api/webhooks").WithTags("Webhooks")
            .MapPost("/hubspot/{clientId}", HubSpotAsync).WithName("HubSpotWebhook")
            .WithSummary("HubSpot webhook events (X-HubSpot-Signature-v3): a deal moved to the stage mapped as won or lost sets the lead's outcome. Duplicates change nothing; unknown deals are ignored.")
            .Produces<HubSpotWebhookResultDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IClientStore clients, ILeadStore leads, ICrmLinkStore links, ILeadOutcomeStore outcomes, CancellationToken ct)
    {
        var client = await clients.GetAsync(ClientAuthenticator.CurrentClient(http).Id, ct) ?? ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, id, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, id);
        }

        var configured = client.Config?.HubSpot is { IsComplete: true };
        var link = await links.GetAsync(client.Id, id, ct);
        var outcome = await outcomes.GetAsync(client.Id, id, ct);
        return TypedResults.Ok(new LeadCrmDto(
            configured,
            configured ? null : "No hubspot config for this client: nothing is synced.",
            link?.ContactId,
            link?.DealId,
            link?.DealStage,
            link?.LastSyncedAt,
            link?.LastSyncedState,
            link?.LastError,
            link?.LastFailedAt,
            link?.LastError is null ? null : link.ErrorIsPermanent,
            link?.Attempts ?? 0,
            link?.NextRetryAt,
            outcome is null ? null : new LeadOutcomeDto(outcome.Outcome, outcome.Value, outcome.Reason, outcome.Source, outcome.At)));
    }

    /// <summary>
    /// 404 for an unknown client; 401 problem+json when the client has no hubspot.clientSecret, the v3 signature does not
    /// verify over the URL HubSpot called (naming the signature), or the timestamp is more than 5 minutes off (naming it); 400 naming the body when it is not
    /// an array of events; else 200 with how many events set an outcome and how many were ignored.
    /// </summary>
    private static async Task<IResult> HubSpotAsync(string clientId, HttpContext http, IClientStore clients, ICrmLinkStore links, ILeadOutcomeStore outcomes, IOptions<SalesFlowOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        if (client is null)
        {
            return WebhooksApi.UnknownClient(http, clientId);
        }

        var body = await WebhooksApi.ReadBodyAsync(http, ct);
        var config = client.Config?.HubSpot;
        var headers = http.Request.Headers;
        var timestamp = headers[HubSpotSignature.TimestampHeaderName].ToString();
        if (config?.ClientSecret is not { } secret
            || !HubSpotSignature.VerifiesV3(secret, http.Request.Method, WebhooksApi.PublicUrl(http, options.Value), body, timestamp, headers[HubSpotSignature.V3HeaderName]))
        {
            return WebhooksApi.BadSignature(http, HubSpotSignature.V3HeaderName);
        }

        if (!HubSpotSignature.IsFresh(timestamp, clock))
        {
            return WebhooksApi.StaleSignature(http, HubSpotSignature.TimestampHeaderName, HubSpotSignature.MaxTimestampSkew);
        }

        IReadOnlyList<HubSpotWebhookEvent> events;
        try
        {
            events = HubSpotWebhookEvent.ParseBatch(body);
        }
        catch (JsonException e)
        {
            return ErrorHandling.BadField(http, "body", $"body must be HubSpot's JSON array of webhook events: {e.Message}");
        }

        var applied = 0;
        foreach (var e in events)
        {
            applied += await ApplyAsync(client.Id, config, e, links, outcomes, ct) ? 1 : 0;
        }

        return TypedResults.Ok(new HubSpotWebhookResultDto(applied, events.Count - applied));
    }

    /// <summary>A deal stage change to won or lost, of a deal SalesFlow opened, newer than the outcome stored: the outcome. Anything else changes nothing.</summary>
    private static async Task<bool> ApplyAsync(string clientId, HubSpotConfig config, HubSpotWebhookEvent e, ICrmLinkStore links, ILeadOutcomeStore outcomes, CancellationToken ct)
    {
        if (e.SubscriptionType != "deal.propertyChange" || e.PropertyName != "dealstage" || e.ObjectId is null || e.PropertyValue is null
            || OutcomeOf(config, e.PropertyValue) is not { } outcome
            || await links.FindByDealAsync(clientId, e.ObjectId, ct) is not { } link)
        {
            return false;
        }

        // False for the same event again (also a copy racing this one) or one older than what is stored.
        return await outcomes.SetIfNewerAsync(new LeadOutcome(clientId, link.LeadId, outcome, null, $"HubSpot deal {e.ObjectId} moved to stage {e.PropertyValue}", "hubspot", e.OccurredAt), ct);
    }

    private static string? OutcomeOf(HubSpotConfig config, string stage) =>
        stage == CrmSyncService.StageFor(config, HubSpotConfig.Won) || stage == "closedwon" ? LeadOutcomes.Won
        : stage == CrmSyncService.StageFor(config, HubSpotConfig.Lost) || stage == "closedlost" ? LeadOutcomes.Lost
        : null;

    public sealed record LeadOutcomeDto(string Outcome, decimal? Value, string? Reason, string Source, DateTimeOffset At);

    public sealed record LeadCrmDto(
        bool Configured,
        string? Note,
        string? ContactId,
        string? DealId,
        string? DealStage,
        DateTimeOffset? LastSyncedAt,
        string? LastSyncedState,
        string? LastError,
        DateTimeOffset? LastFailedAt,
        bool? ErrorIsPermanent,
        int Attempts,
        DateTimeOffset? NextRetryAt,
        LeadOutcomeDto? Outcome);
}

/// <summary>
/// One event of a HubSpot webhook batch (developers.hubspot.com/docs/api/webhooks, "Webhook payloads"): eventId,
/// subscriptionId, portalId, appId, occurredAt (Unix ms), subscriptionType (e.g. deal.propertyChange), attemptNumber,
/// objectId, propertyName, propertyValue, changeSource.
/// </summary>
public sealed record HubSpotWebhookEvent(long? EventId, string? SubscriptionType, string? ObjectId, string? PropertyName, string? PropertyValue, DateTimeOffset OccurredAt)
{
    public static IReadOnlyList<HubSpotWebhookEvent> ParseBatch(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("expected an array");
        }

        return [.. doc.RootElement.EnumerateArray().Select(Parse)];
    }

    private static HubSpotWebhookEvent Parse(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("each event must be an object");
        }

        return new HubSpotWebhookEvent(
            Number(e, "eventId"),
            Text(e, "subscriptionType"),
            Number(e, "objectId")?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Text(e, "objectId"),
            Text(e, "propertyName"),
            Text(e, "propertyValue"),
            DateTimeOffset.FromUnixTimeMilliseconds(Number(e, "occurredAt") ?? 0));
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}

using SalesFlow.Core.Ai.Usage;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public static class UsageApi
{
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/usage").WithTags("Usage").RequireClientKey();
        api.MapGet("/", GetAsync).WithName("GetUsage").WithSummary("Model tokens and cost of this client per model, purpose and lead; optionally one lead and a time range [from, to).")
            .Produces<UsageReportDto>().ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, IUsageStore usage, string? leadId, string? from, string? to, CancellationToken ct)
    {
        if (!TryTime(from, out var since))
        {
            return ErrorHandling.BadField(http, "from", "from must be an ISO 8601 date or time (e.g. 2025-01-31 or 2025-01-31T12:00:00Z).");
        }

        if (!TryTime(to, out var until))
        {
            return ErrorHandling.BadField(http, "to", "to must be an ISO 8601 date or time (e.g. 2025-01-31 or 2025-01-31T12:00:00Z).");
        }

        if (since is not null && until is not null && until <= since)
        {
            return ErrorHandling.BadField(http, "to", "to must be later than from.");
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var report = await usage.ReportAsync(client.Id, string.IsNullOrWhiteSpace(leadId) ? null : leadId, since, until, ct);
        return TypedResults.Ok(new UsageReportDto(
            report.ClientId,
            report.LeadId,
            report.From,
            report.To,
            UsageTotalsDto.From(report.Total),
            UsageTotalsDto.From(report.ByModel),
            UsageTotalsDto.From(report.ByPurpose),
            UsageTotalsDto.From(report.ByLead)));
    }

    /// <summary>An absent value is no bound; a date without a time zone is UTC.</summary>
    private static bool TryTime(string? value, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }
}

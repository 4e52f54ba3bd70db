using SalesFlow.Core.Compliance;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public static class ComplianceApi
{
    public static IEndpointRouteBuilder MapComplianceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/compliance").WithTags("Compliance").RequireClientKey();
        api.MapGet("/audit", ListAuditAsync).WithName("ListComplianceAudit").WithSummary("The compliance filter's verdicts on replies, newest first; filter by lead and verdict.");
        return app;
    }

    private static async Task<IResult> ListAuditAsync(HttpContext http, IComplianceAuditLog audit, string? leadId, string? verdict, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            return ErrorHandling.BadField(http, "limit", "limit must be between 1 and 1000.");
        }

        ComplianceVerdict? wanted = null;
        if (verdict is not null)
        {
            if (!ComplianceVerdictNames.TryParse(verdict, out var parsed))
            {
                return ErrorHandling.BadField(http, "verdict", "verdict must be one of pass, rewritten, blocked.");
            }

            wanted = parsed;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var items = await audit.ListAsync(client.Id, string.IsNullOrWhiteSpace(leadId) ? null : leadId, wanted, limit ?? 100, ct);
        return TypedResults.Ok(new { items = items.Select(ComplianceAuditDto.From) });
    }
}

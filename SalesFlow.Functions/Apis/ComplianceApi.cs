using SalesFlow.Core.Compliance;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

public static class ComplianceApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapComplianceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/compliance").WithTags("Compliance").RequireClientKey();
        api.MapGet("/audit", ListAuditAsync).WithName("ListComplianceAudit")
            .WithSummary($"The compliance filter's verdicts on replies, newest first; filter by lead and verdict. Paged: limit 1..{MaxLimit} (default {DefaultLimit}), then ?cursor=<next> until next is null.");
        return app;
    }

    private static async Task<IResult> ListAuditAsync(HttpContext http, IComplianceAuditLog audit, string? leadId, string? verdict, string? cursor, string? limit, CancellationToken ct)
    {
        ComplianceVerdict? wanted = null;
        if (verdict is not null)
        {
            if (!ComplianceVerdictNames.TryParse(verdict, out var parsed))
            {
                return ErrorHandling.BadField(http, "verdict", "verdict must be one of pass, rewritten, blocked.");
            }

            wanted = parsed;
        }

        leadId = string.IsNullOrWhiteSpace(leadId) ? null : leadId;
        var listing = Paging.Listing("compliance-audit", leadId, wanted?.ToWire());
        if (Paging.TryRead(http, listing, cursor, limit, DefaultLimit, MaxLimit, out var page) is { } bad)
        {
            return bad;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var found = await audit.ListPageAsync(client.Id, leadId, wanted, page.After, page.Limit, ct);
        return TypedResults.Ok(new { items = found.Items.Select(ComplianceAuditDto.From), next = Paging.Cursor(http, listing, found.Next) });
    }
}

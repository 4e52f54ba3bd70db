using SalesFlow.Core.Leads;
using SalesFlow.Functions.Extensions;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// The link of the confirmation e-mail sent to an address a lead typed in chat. Public (whoever reads that mailbox
/// opens it): the token is 256 random bits, looked up within the client in the path only, works once and expires.
/// </summary>
public static class VerificationApi
{
    public static IEndpointRouteBuilder MapVerificationApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/verify/email/{clientId}/{token}", VerifyEmailAsync).WithTags("Verification").WithName("VerifyEmail")
            .WithSummary("Opens the confirmation link of an e-mail address a lead gave in chat: the address becomes the lead's e-mail channel.")
            .Produces<EmailVerifiedDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        return app;
    }

    /// <summary>200 {verified, address}; 404 (token) for a token this client never issued; 410 for one used or expired; 409 when another lead owns the address.</summary>
    private static async Task<IResult> VerifyEmailAsync(string clientId, string token, HttpContext http, EmailVerification verification, TimeProvider clock, CancellationToken ct)
    {
        var (outcome, address) = await verification.VerifyLinkAsync(clientId, token, clock.GetUtcNow(), ct);
        return outcome switch
        {
            EmailLinkOutcome.Verified => TypedResults.Ok(new EmailVerifiedDto(true, address)),
            EmailLinkOutcome.Gone => ErrorHandling.Problem(http, StatusCodes.Status410Gone, "This confirmation link was used already or has expired.", "token"),
            EmailLinkOutcome.Conflict => ErrorHandling.Problem(http, StatusCodes.Status409Conflict, "This address belongs to another conversation; a sales rep will sort it out.", "token"),
            _ => ErrorHandling.Problem(http, StatusCodes.Status404NotFound, "Unknown confirmation link.", "token"),
        };
    }
}

using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Extensions;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// A rep's change to a lead's profile (BANT, DISC), written under the profile's ETag. With If-Match the change applies
/// only to that version (412 otherwise); without it a lost race with a turn re-applies the change to the turn's result.
/// </summary>
internal static class RepProfileEdit
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// GET of a lead's profile section: 404 for a lead this client does not have; otherwise the profile (a new one
    /// before the first turn) with its ETag header set, shaped by <paramref name="answer"/>.
    /// </summary>
    public static async Task<IResult> ReadAsync(HttpContext http, ILeadStore leads, ILeadProfileStore profiles, string leadId, Func<LeadProfile, IResult> answer, CancellationToken ct)
    {
        var client = Security.ClientAuthenticator.CurrentClient(http);
        if (await leads.GetAsync(client.Id, leadId, ct) is null)
        {
            return ErrorHandling.LeadNotFound(http, leadId);
        }

        var profile = await profiles.GetAsync(client.Id, leadId, ct) ?? LeadProfile.New(client.Id, leadId);
        WithETag(http, profile);
        return answer(profile);
    }

    public static async Task<IResult> SaveAsync(
        HttpContext http,
        ILeadProfileStore profiles,
        string clientId,
        string leadId,
        Func<LeadProfile, LeadProfile> change,
        Func<LeadProfile, IResult> answer,
        CancellationToken ct)
    {
        var ifMatch = http.Request.Headers.IfMatch is { Count: > 0 } h && h.ToString() != "*" ? h.ToString() : null;
        for (var attempt = 1; ; attempt++)
        {
            var current = await profiles.GetAsync(clientId, leadId, ct) ?? LeadProfile.New(clientId, leadId);
            if (ifMatch is not null && ifMatch != Quoted(current.ETag))
            {
                return Stale(http);
            }

            try
            {
                var saved = await profiles.SaveAsync(change(current), ct);
                WithETag(http, saved);
                return answer(saved);
            }
            catch (ConcurrencyException) when (ifMatch is null && attempt < MaxAttempts)
            {
                // A turn merged meanwhile: apply the rep's change to its result.
            }
            catch (ConcurrencyException) when (ifMatch is not null)
            {
                return Stale(http);
            }
        }
    }

    /// <summary>The profile's version as the ETag header, once it is stored.</summary>
    public static void WithETag(HttpContext http, LeadProfile profile)
    {
        if (profile.ETag.Length > 0)
        {
            http.Response.Headers.ETag = Quoted(profile.ETag);
        }
    }

    private static IResult Stale(HttpContext http) =>
        ErrorHandling.Problem(http, StatusCodes.Status412PreconditionFailed, "The lead's profile changed since it was read (If-Match); read it again.", "If-Match");

    private static string Quoted(string etag) => $"\"{etag}\"";
}

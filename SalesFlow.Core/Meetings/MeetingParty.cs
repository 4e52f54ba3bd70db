using SalesFlow.Core.Clients;
using SalesFlow.Core.FollowUps;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Reach;

namespace SalesFlow.Core.Meetings;

/// <summary>Who a meeting is booked for, and where its confirmation e-mail may go.</summary>
/// <param name="Email">The attendee's e-mail for the calendar: the lead's, else one the lead typed in chat (a claim).</param>
/// <param name="ConfirmTo">Where SalesFlow e-mails the confirmation: only an address that is the lead's (<see cref="Lead.Email"/> or a verified claim), never a mere claim.</param>
/// <param name="TimeZone">The IANA zone the lead is shown times in (<see cref="LeadTimeZone"/>).</param>
public sealed record MeetingParty(string Name, string? Email, string? ConfirmTo, string? Phone, string TimeZone, string Language)
{
    public TimeZoneInfo Zone => FollowUpPlanner.ZoneOf(TimeZone);

    /// <summary>The lead as an attendee; <paramref name="language"/> is the turn's ("en"/"de"), else the lead's.</summary>
    public static async Task<MeetingParty> ForAsync(ILeadStore leads, Client client, Lead lead, string? language, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(lead);
        string? claimed = null;
        string? verified = null;
        if (lead.Email is null)
        {
            var claims = await leads.ListEmailClaimsAsync(lead.ClientId, lead.Id, ct);
            verified = claims.LastOrDefault(c => c.Status == EmailClaimStatus.Verified)?.Address;
            claimed = verified ?? claims.LastOrDefault(c => c.Status == EmailClaimStatus.Pending)?.Address;
        }

        var lang = SlotText.IsGerman(language ?? lead.Language) ? "de" : "en";
        return new MeetingParty(
            string.IsNullOrWhiteSpace(lead.Name) ? "Guest" : lead.Name.Trim(),
            lead.Email ?? claimed,
            lead.Email ?? verified,
            lead.Phone,
            LeadTimeZone.For(lead, client),
            lang);
    }
}

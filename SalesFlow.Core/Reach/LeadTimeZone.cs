using SalesFlow.Core.Clients;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Reach;

/// <summary>
/// The time zone the quiet hours are read in for one lead: the zone the lead said they are in (<see cref="Lead.TimeZone"/>,
/// the most specific word there is: a German number may travel), else the phone number's (libphonenumber's zone map; a
/// number of a country with several zones and no area-specific zone takes the client's zone when it is one of them,
/// else the country's own, <see cref="PhoneFacts.LikelyZone"/>), else the client's <c>timeZone</c> (config API, or the one set at onboarding, which defaults to UTC).
/// </summary>
public static class LeadTimeZone
{
    public static string For(Lead lead, Client client)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(client);
        if (lead.TimeZone is { } stated)
        {
            return stated;
        }

        var clientZone = client.Config?.TimeZone ?? client.TimeZone;
        var phone = ContactAddresses.DescribePhone(lead.Phone);
        return phone is null || phone.TimeZones.Contains(clientZone, StringComparer.Ordinal)
            ? clientZone
            : phone.LikelyZone ?? clientZone;
    }

    /// <summary>
    /// The first moment at or after <paramref name="now"/> outside the quiet hours in the lead's zone: when a message
    /// that is not a reply (a follow-up, a first contact, a later notice) may go out.
    /// </summary>
    public static DateTimeOffset NextSendableAt(Lead lead, Client client, FollowUps.QuietHours quiet, DateTimeOffset now) =>
        quiet.MoveOut(now, FollowUps.FollowUpPlanner.ZoneOf(For(lead, client)));
}

using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Reach;

namespace SalesFlow.Core.Outreach;

/// <summary>What the lead agreed to be contacted on (a form's checkboxes, an ad platform's consent, an import's columns).</summary>
public sealed record ContactConsent(bool WhatsApp, bool Sms, bool Email)
{
    public bool Any => WhatsApp || Sms || Email;
}

/// <summary>Where a first contact goes: the channel, the lead's address on it and, on WhatsApp, the approved template.</summary>
public sealed record FirstContactRoute(ChannelKind Channel, string Recipient, TemplateMessage? Template);

/// <summary>
/// The best consented, reachable channel for a first contact, as <see cref="OutboundRoute.Choose"/> decides for every
/// message that is not a reply, with the consented channels as the preference (WhatsApp, SMS, e-mail): a new lead has
/// never written, so WhatsApp needs the client's approved template for <see cref="TemplatePurpose"/>; a channel without
/// the lead's address, or one the client has not configured while it configured others, is passed over. Null when
/// none fits. Pure: no I/O, no clock.
/// </summary>
public static class FirstContactChannel
{
    /// <summary>The key in the client's <c>whatsapp.templates</c> whose approved template opens a conversation.</summary>
    public const string TemplatePurpose = Reach.TemplatePurpose.FirstContact;

    /// <param name="phone">The lead's E.164 number, or null.</param>
    /// <param name="email">The lead's normalised address, or null.</param>
    /// <param name="name">The lead's name (its first word is the template's {{1}}; the client's name is {{2}}).</param>
    public static FirstContactRoute? Choose(ContactConsent consent, string? phone, string? email, Client client, string? name) =>
        Route(consent, phone, email, client, name) is { Channel: { } channel, Recipient: { } recipient } route ? new(channel, recipient, route.Template) : null;

    /// <summary>Why <see cref="Choose"/> found no channel: what each consented channel lacks, as the routing rule says it.</summary>
    public static string WhyNone(ContactConsent consent, string? phone, string? email, Client client, string? name) =>
        consent.Any
            ? "consent: no consented channel can reach the lead (" + Route(consent, phone, email, client, name).SkipReason + ")."
            : "consent: the lead consented to no channel (whatsapp, sms or email); nothing may be sent.";

    private static OutboundRoute Route(ContactConsent consent, string? phone, string? email, Client client, string? name)
    {
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentNullException.ThrowIfNull(client);
        var preference = new[] { (consent.WhatsApp, ChannelKind.WhatsApp), (consent.Sms, ChannelKind.Sms), (consent.Email, ChannelKind.Email) }
            .Where(c => c.Item1).Select(c => c.Item2).ToList();
        var lead = new Lead { Id = "", ClientId = client.Id, Name = name, Phone = phone, Email = email };
        return OutboundRoute.Choose(lead, [], client, TemplatePurpose, preference, new Dictionary<ChannelKind, LastInbound>(), DateTimeOffset.MinValue);
    }
}

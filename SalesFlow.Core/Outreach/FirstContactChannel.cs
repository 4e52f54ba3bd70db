using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Core.Outreach;

/// <summary>What the lead agreed to be contacted on (a form's checkboxes, an ad platform's consent, an import's columns).</summary>
public sealed record ContactConsent(bool WhatsApp, bool Sms, bool Email)
{
    public bool Any => WhatsApp || Sms || Email;
}

/// <summary>Where a first contact goes: the channel, the lead's address on it and, on WhatsApp, the approved template.</summary>
public sealed record FirstContactRoute(ChannelKind Channel, string Recipient, TemplateMessage? Template);

/// <summary>
/// The best consented, reachable channel for a first contact: WhatsApp if consented and the client has an approved
/// template for <see cref="TemplatePurpose"/> (a new lead has never written, so the 24-hour window is closed and free
/// text is not allowed), else SMS if consented with a phone, else e-mail if consented with an address; null when none
/// fits. Pure: no I/O, no clock. (The general channel routing of follow-ups lives elsewhere; this is the first message only.)
/// </summary>
public static class FirstContactChannel
{
    /// <summary>The key in the client's <c>whatsapp.templates</c> whose approved template opens a conversation.</summary>
    public const string TemplatePurpose = "firstContact";

    /// <param name="phone">The lead's E.164 number, or null.</param>
    /// <param name="email">The lead's normalised address, or null.</param>
    /// <param name="firstName">The template's first parameter ({{1}}).</param>
    /// <param name="clientName">The template's second parameter ({{2}}).</param>
    public static FirstContactRoute? Choose(ContactConsent consent, string? phone, string? email, ClientConfig? config, string firstName, string clientName)
    {
        if (consent.WhatsApp && phone is not null
            && config?.WhatsApp?.Templates?.GetValueOrDefault(TemplatePurpose) is { Name.Length: > 0, Language.Length: > 0 } template)
        {
            return new(ChannelKind.WhatsApp, phone, new TemplateMessage(template.Name, template.Language, [firstName, clientName]));
        }

        if (consent.Sms && phone is not null)
        {
            return new(ChannelKind.Sms, phone, null);
        }

        return consent.Email && email is not null ? new(ChannelKind.Email, email, null) : null;
    }
}

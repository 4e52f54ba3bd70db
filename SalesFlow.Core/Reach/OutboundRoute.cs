using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;

namespace SalesFlow.Core.Reach;

/// <summary>
/// The keys of a client's <c>whatsapp.templates</c>: which approved template carries which kind of message outside
/// WhatsApp's 24-hour customer-service window.
/// </summary>
public static class TemplatePurpose
{
    /// <summary>A step of the follow-up cadence.</summary>
    public const string FollowUp = "followUp";

    /// <summary>The first message to a lead who has not written yet (speed to lead).</summary>
    public const string FirstContact = "firstContact";

    /// <summary>A reminder of an agreed appointment or call.</summary>
    public const string Reminder = "reminder";
}

/// <summary>Where a message was last received from the lead on one channel.</summary>
public sealed record LastInbound(DateTimeOffset At, string? Address);

/// <summary>
/// How an outbound message that is not a reply goes out: on <see cref="Channel"/> to <see cref="Recipient"/>, as free
/// text or as the approved WhatsApp <see cref="Template"/>; or, when no channel can carry it, not at all, for
/// <see cref="SkipReason"/>. <see cref="PassedOver"/> says why the channels before the chosen one were not taken.
/// </summary>
public sealed record OutboundRoute(ChannelKind? Channel, string? Recipient, TemplateMessage? Template, string? SkipReason, IReadOnlyList<string> PassedOver)
{
    /// <summary>WhatsApp allows free text only within 24 hours of the lead's last WhatsApp message; later only an approved template.</summary>
    public static readonly TimeSpan WhatsAppServiceWindow = TimeSpan.FromHours(24);

    public bool Skipped => Channel is null;

    /// <summary>
    /// Takes the first channel of <paramref name="preference"/> that can carry the message now: WhatsApp within the
    /// 24-hour window as free text, outside it only with the client's approved template for <paramref name="purpose"/>;
    /// SMS to the lead's phone; e-mail to the lead's address; web (the simulated channel) always. A channel the lead
    /// has no address for, or the client cannot send on (<see cref="CanSendOn"/>), is passed over. Pure: the same
    /// inputs give the same route.
    /// </summary>
    /// <param name="identities">The lead's phone and e-mail identities (a merged lead has several).</param>
    /// <param name="purpose">A <see cref="TemplatePurpose"/> key.</param>
    /// <param name="preference">Channels in order: the conversation's channel first for a follow-up, the consented ones for a first contact.</param>
    /// <param name="lastInbound">The lead's latest message per channel (none: the lead never wrote there).</param>
    public static OutboundRoute Choose(
        Lead lead,
        IReadOnlyList<ChannelIdentity> identities,
        Client client,
        string purpose,
        IReadOnlyList<ChannelKind> preference,
        IReadOnlyDictionary<ChannelKind, LastInbound> lastInbound,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var passed = new List<string>();
        foreach (var channel in preference.Distinct())
        {
            if (!CanSendOn(client.Config, channel))
            {
                passed.Add($"{channel.ToWire()}: the client has no {channel.ToWire()} sender configured");
                continue;
            }

            var last = lastInbound.GetValueOrDefault(channel);
            var recipient = RecipientOn(channel, lead, identities, last);
            if (recipient is null)
            {
                passed.Add($"{channel.ToWire()}: the lead has no {(channel == ChannelKind.Email ? "e-mail address" : "phone number")}");
                continue;
            }

            if (channel != ChannelKind.WhatsApp || (last is not null && now - last.At < WhatsAppServiceWindow))
            {
                return new(channel, recipient, null, null, passed);
            }

            if (client.Config?.WhatsApp?.Templates?.GetValueOrDefault(purpose) is { Name: { } name, Language: { } language })
            {
                return new(channel, recipient, new TemplateMessage(name, language, TemplateParameters(lead, client, language)), null, passed);
            }

            passed.Add($"whatsapp: outside the 24-hour window and no approved template for '{purpose}' (whatsapp.templates.{purpose})");
        }

        var reason = passed.Count == 0 ? "no channel to send on" : string.Join("; ", passed);
        return new(null, null, null, reason, passed);
    }

    /// <summary>
    /// The body parameters every purpose's template gets, in this order: {{1}} the lead's first name (or a neutral
    /// greeting word when unknown: Meta rejects empty parameters), {{2}} the client's name.
    /// </summary>
    public static IReadOnlyList<string> TemplateParameters(Lead lead, Client client, string templateLanguage) =>
        [lead.AddressedAs ?? (templateLanguage.StartsWith("de", StringComparison.OrdinalIgnoreCase) ? "zusammen" : "there"), client.Name];

    /// <summary>
    /// Whether the client can send on the channel: a client that configured no vendor channel at all is in the embedded
    /// outbox mode (every message waits in the outbox, as before issue 12) and "can" send on each; a client that
    /// configured some sends only on those, so a fallback never lands in an outbox nobody reads.
    /// </summary>
    public static bool CanSendOn(ClientConfig? config, ChannelKind channel)
    {
        var whatsApp = config?.WhatsApp is { PhoneNumberId: not null, AccessToken: not null } || config?.Twilio is { AccountSid: not null, AuthToken: not null, WhatsAppFrom: not null };
        var sms = config?.Twilio is { AccountSid: not null, AuthToken: not null } twilio && (twilio.SmsFrom is not null || twilio.MessagingServiceSid is not null);
        var email = config?.Email is { SendGridApiKey: not null, FromAddress: not null };
        if (!whatsApp && !sms && !email)
        {
            return true;
        }

        return channel switch
        {
            ChannelKind.WhatsApp => whatsApp,
            ChannelKind.Sms => sms,
            ChannelKind.Email => email,
            _ => true,
        };
    }

    private static string? RecipientOn(ChannelKind channel, Lead lead, IReadOnlyList<ChannelIdentity> identities, LastInbound? last) => channel switch
    {
        ChannelKind.WhatsApp or ChannelKind.Sms => last?.Address ?? lead.Phone ?? identities.FirstOrDefault(i => i.Kind == IdentityKind.Phone)?.Value,
        ChannelKind.Email => last?.Address ?? lead.Email ?? identities.FirstOrDefault(i => i.Kind == IdentityKind.Email)?.Value,
        _ => last?.Address ?? lead.Phone ?? lead.Email ?? lead.Id,
    };
}

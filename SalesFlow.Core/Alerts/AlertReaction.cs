using Microsoft.Extensions.Logging;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Alerts;

/// <summary>
/// Tells the client's people at once: a hot lead, a lead handed to a human (with the reason and the last messages), a
/// meeting booked. One outbox e-mail per address in <c>alerts.emails</c> and, for a hot lead, an SMS to
/// <c>alerts.onCallNumber</c>; each keyed by the event's idempotency key and the address, so an event reported twice
/// alerts once. Local writes only: the delivery queue makes the vendor calls.
/// </summary>
public sealed class AlertReaction(
    IClientStore clients,
    ILeadStore leads,
    ILeadProfileStore profiles,
    IConversationStore conversations,
    StaffOutbox staff,
    TimeProvider clock,
    ILogger<AlertReaction> logger) : IIntegrationEventReaction
{
    /// <summary>How many of the conversation's newest messages an escalation alert quotes.</summary>
    public const int QuotedMessages = 5;

    public async Task ReactAsync(IntegrationEvent integrationEvent, CancellationToken ct)
    {
        if (integrationEvent is not (LeadBecameHot or LeadEscalated or MeetingBooked))
        {
            return;
        }

        var client = await clients.GetAsync(integrationEvent.ClientId, ct);
        var alerts = client?.Config?.Alerts;
        var emails = alerts?.Emails?.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        var onCall = integrationEvent is LeadBecameHot ? alerts?.OnCallNumber : null;
        if (client is null || (emails.Count == 0 && onCall is null))
        {
            return;
        }

        var lead = await leads.GetAsync(client.Id, integrationEvent.LeadId, ct);
        if (lead is null)
        {
            return; // erased meanwhile: nothing left to tell about
        }

        var facts = (await profiles.GetAsync(client.Id, lead.Id, ct))?.Facts;
        var about = new AlertLead(lead, facts?.Company, facts?.Role);
        var german = AlertMessages.German(client.Config?.Language);
        var email = integrationEvent switch
        {
            LeadBecameHot hot => AlertMessages.Hot(hot, about, client.Name, german),
            LeadEscalated escalated => AlertMessages.Escalated(escalated, about, await LastMessagesAsync(client.Id, lead.Id, ct), client.Name, german),
            MeetingBooked booked => AlertMessages.MeetingBooked(booked, about, ClientZone.Of(client), client.Name, german),
            _ => throw new InvalidOperationException(integrationEvent.EventType),
        };

        var now = clock.GetUtcNow();
        var written = 0;
        foreach (var address in emails)
        {
            written += await staff.EmailAsync(client.Id, lead.Id, OutboxPurpose.Alert, address, KeyFor(integrationEvent, address), email, now, ct) ? 1 : 0;
        }

        if (onCall is not null && integrationEvent is LeadBecameHot becameHot)
        {
            written += await staff.SmsAsync(client.Id, lead.Id, onCall, KeyFor(integrationEvent, $"sms:{onCall}"), AlertMessages.HotSms(about, becameHot, german), now, ct) ? 1 : 0;
        }

        if (written > 0)
        {
            logger.LogInformation("{Count} alert(s) of {EventType} for lead {LeadId} written", written, integrationEvent.EventType, lead.Id);
        }
    }

    /// <summary>"alert/&lt;event key&gt;/&lt;address&gt;": once per event and address, however often the event is reported.</summary>
    public static string KeyFor(IntegrationEvent integrationEvent, string address) =>
        $"alert/{integrationEvent.IdempotencyKey}/{address.ToLowerInvariant()}";

    private async Task<IReadOnlyList<Message>> LastMessagesAsync(string clientId, string leadId, CancellationToken ct)
    {
        var conversation = await conversations.FindForLeadAsync(clientId, leadId, ct);
        return conversation is null ? [] : await conversations.ListMessagesAsync(clientId, conversation.Id, QuotedMessages, ct);
    }
}

/// <summary>The client's time zone: the configured one, else the one set at onboarding, else UTC.</summary>
public static class ClientZone
{
    public static TimeZoneInfo Of(Client client) =>
        Find(client.Config?.TimeZone) ?? Find(client.TimeZone) ?? TimeZoneInfo.Utc;

    private static TimeZoneInfo? Find(string? id) =>
        id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}

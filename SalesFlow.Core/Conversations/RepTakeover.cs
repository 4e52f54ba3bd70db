using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Queue;
using SalesFlow.Core.Reach;

namespace SalesFlow.Core.Conversations;

public enum RepReplyOutcome
{
    Stored,
    LeadNotFound,
    /// <summary>The AI still answers this lead: a rep takes over first, so two voices never answer at once.</summary>
    NotTakenOver,
    OptedOut,
    /// <summary>The chosen channel cannot carry free text now (the WhatsApp 24-hour window closed, no address on it).</summary>
    ChannelUnavailable,
}

/// <param name="Item">The outbox item (the same one for a repeated call).</param>
/// <param name="Created">False when the idempotency key had already stored it.</param>
/// <param name="Reason">Why nothing was stored, for the non-stored outcomes.</param>
public sealed record RepReplyResult(RepReplyOutcome Outcome, OutboxItem? Item, bool Created, string? Reason);

/// <summary>
/// A sales rep takes a lead over from the AI and writes to it. Taking over escalates the lead with
/// <see cref="TakenOverReason"/>: the turn then stays silent (<see cref="ReplyWriter.PurposeOf"/>) and the follow-up
/// planner finishes the cadence, until POST /api/leads/{id}/release hands the lead back. The rep's messages go through
/// the outbox like every outbound effect: keyed, opt-out checked again at delivery, and on WhatsApp only inside the
/// 24-hour window (a rep's free text has no approved template).
/// </summary>
public sealed class RepTakeover(ILeadStore leads, IConversationStore conversations, IOutboxStore outbox, IWorkQueue queue, TimeProvider clock)
{
    public const string TakenOverReason = "taken_over";

    /// <summary>How many of the newest messages are read for the lead's last message per channel.</summary>
    private const int RecentMessages = 200;

    private const int MaxAttempts = 5;

    /// <summary>The lead escalated with <see cref="TakenOverReason"/> (unchanged when it already is); null for an unknown lead.</summary>
    public async Task<Lead?> TakeOverAsync(string clientId, string leadId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var lead = await leads.GetAsync(clientId, leadId, ct);
            if (lead is null || (lead.Escalated && lead.EscalationReason == TakenOverReason))
            {
                return lead;
            }

            try
            {
                return await leads.ReplaceAsync(lead.Escalate(TakenOverReason, clock.GetUtcNow()), ct);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // A turn changed the lead meanwhile (language, name): read it again and take over that one.
            }
        }
    }

    /// <summary>Stores and queues the rep's message on <paramref name="channel"/> (null: the conversation's last channel).</summary>
    /// <param name="key">The caller's idempotency key: the same key always lands on the same message.</param>
    public async Task<RepReplyResult> ReplyAsync(Client client, string leadId, string text, string by, ChannelKind? channel, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var id = Ids.Deterministic("out", client.Id, "rep", leadId, key);
        if (await outbox.GetAsync(client.Id, id, ct) is { } stored)
        {
            return new(RepReplyOutcome.Stored, stored, false, null);
        }

        var lead = await leads.GetAsync(client.Id, leadId, ct);
        if (lead is null)
        {
            return new(RepReplyOutcome.LeadNotFound, null, false, null);
        }

        if (!lead.Escalated)
        {
            return new(RepReplyOutcome.NotTakenOver, null, false, "the AI is answering this lead; take it over first (POST /api/leads/{id}/takeover)");
        }

        if (lead.OptedOut)
        {
            return new(RepReplyOutcome.OptedOut, null, false, "the lead opted out: nothing more is sent until they opt back in");
        }

        // A lead submitted through POST /api/leads has no conversation until the first message either way.
        if (await conversations.FindForLeadAsync(client.Id, leadId, ct) is not { } conversation)
        {
            return new(RepReplyOutcome.ChannelUnavailable, null, false, "the lead has no conversation yet (the first contact has not gone out)");
        }

        var now = clock.GetUtcNow();
        var messages = await conversations.ListMessagesAsync(client.Id, conversation.Id, RecentMessages, ct);
        var inbound = messages.Where(m => m.Direction == MessageDirection.Inbound && !m.IsUntrusted()).ToList();
        var lastInbound = inbound
            .GroupBy(m => m.Channel)
            .Select(g => g.MaxBy(m => m.CreatedAt)!)
            .ToDictionary(m => m.Channel, m => new LastInbound(m.CreatedAt, m.Metadata.GetValueOrDefault("from")));
        var on = channel ?? conversation.LastChannel;
        var route = OutboundRoute.Choose(lead, await leads.ListIdentitiesAsync(client.Id, leadId, ct), client, TemplatePurpose.FollowUp, [on], lastInbound, now);
        if (route.Skipped || route.Template is not null)
        {
            var reason = route.Template is not null || (route.SkipReason?.Contains("24-hour", StringComparison.Ordinal) ?? false) ? "whatsapp: outside the 24-hour window; a rep's own text cannot go out as a template (write by SMS or e-mail)" : route.SkipReason;
            return new(RepReplyOutcome.ChannelUnavailable, null, false, reason);
        }

        var lastEmail = on == ChannelKind.Email ? inbound.Where(m => m.Channel == ChannelKind.Email).MaxBy(m => m.CreatedAt) : null;
        var (item, created) = await outbox.AddAsync(
            new OutboxItem
            {
                Id = id,
                ClientId = client.Id,
                LeadId = leadId,
                ConversationId = conversation.Id,
                Channel = on,
                Recipient = route.Recipient!,
                Text = text,
                IdempotencyKey = $"rep-reply:{leadId}:{key}",
                Purpose = OutboxPurpose.RepReply,
                Thread = lastEmail is null ? null : EmailThreading.ReplyTo(lastEmail),
                CreatedAt = now,
                UpdatedAt = now,
            },
            ct);
        await conversations.AddOutboundAsync(Message.OutboundCopyOf(item, new Dictionary<string, string> { ["by"] = by }), ct);
        if (item.Status == OutboxStatus.Pending)
        {
            await queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(client.Id, item.Id)), TimeSpan.Zero, DeliverWork.CoalesceKey(item.Id), ct);
        }

        return new(RepReplyOutcome.Stored, item, created, null);
    }
}

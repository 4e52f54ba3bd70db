using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Intake;

/// <param name="Duplicate">The provider delivered this message before; nothing new was stored.</param>
/// <param name="LeadCreated">The message created its lead.</param>
public sealed record IntakeResult(string LeadId, string ConversationId, string MessageId, bool Duplicate, bool Queued, ChannelKind Channel, bool LeadCreated);

public enum TrustOutcome
{
    /// <summary>The message was untrusted; it is now trusted, answerable as its text allows, and its turn is queued.</summary>
    Trusted,

    /// <summary>A human vouched for it before: nothing changed (its turn is queued again if it is still unanswered).</summary>
    AlreadyTrusted,

    ConversationNotFound,

    MessageNotFound,

    /// <summary>The message was never held back (an ordinary or an outbound message): there is nothing to vouch for.</summary>
    NotUntrusted,
}

/// <param name="Message">The message as stored now, for <see cref="TrustOutcome.Trusted"/> and <see cref="TrustOutcome.AlreadyTrusted"/>.</param>
public sealed record TrustResult(TrustOutcome Outcome, Message? Message = null, bool Queued = false);

/// <summary>
/// Turns a verified, parsed delivery into stored facts: the lead (resolved through its channel
/// identity), the message (deduplicated by provider id) and a queued turn. Stores before it
/// acknowledges, so nothing accepted is lost; a retried delivery finds its message and only
/// makes sure the turn is queued. An e-mail whose sender is not authenticated (<see cref="EmailAuthentication"/>) is
/// stored as untrusted and not answerable while <see cref="EmailIntakeOptions.RequireSenderAuthentication"/> is on,
/// until a human vouches for it (<see cref="TrustAsync"/>).
/// </summary>
public sealed class IntakeService(
    ILeadStore leads,
    IConversationStore conversations,
    IOutboxStore outbox,
    ILeadConversationSignals signals,
    IOptions<ConversationOptions> options,
    IOptions<EmailIntakeOptions> emailOptions,
    TimeProvider clock,
    ILogger<IntakeService> logger)
{
    private const int MaxTrustAttempts = 5;

    public async Task<IntakeResult> AcceptAsync(Client client, InboundMessage inbound, CancellationToken ct)
    {
        var result = await StoreAsync(client, inbound, ct);
        LogAccepted(result);
        return result;
    }

    /// <summary>
    /// <see cref="AcceptAsync"/> without its log line, for a caller that logs once the intake is durable: the webhooks
    /// store inside a group-committed unit (<see cref="IWriteUnits"/>) and log after its commit, so the console write is
    /// not made while the writer holds the file for the whole group.
    /// </summary>
    public Task<IntakeResult> StoreAsync(Client client, InboundMessage inbound, CancellationToken ct) =>
        StoreAsync(client, inbound, clock.GetUtcNow(), ct);

    /// <summary><see cref="StoreAsync(Client, InboundMessage, CancellationToken)"/> for a message SalesFlow took at <paramref name="receivedAt"/> (a journaled webhook stored a moment later).</summary>
    public async Task<IntakeResult> StoreAsync(Client client, InboundMessage inbound, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var (kind, address) = ResolveAddress(client, inbound.Channel, inbound.From);
        var now = receivedAt;

        // Only the parser's negative verdict counts: messages from the API (key-authenticated) carry none.
        var untrusted = inbound.Channel == ChannelKind.Email
            && emailOptions.Value.RequireSenderAuthentication
            && EmailAuthentication.IsUnauthenticated(inbound.Metadata);
        var (lead, created) = await leads.GetOrCreateByIdentityAsync(client.Id, kind, address, () => new Lead
        {
            Id = Ids.New("lead"),
            ClientId = client.Id,
            // A forger's display name would greet the real owner of the address and reach the brain as the lead's name.
            Name = untrusted || string.IsNullOrWhiteSpace(inbound.FromName) ? null : inbound.FromName.Trim(),
            Phone = kind == IdentityKind.Phone ? address : null,
            Email = kind == IdentityKind.Email ? address : null,
            CreatedAt = now,
            UpdatedAt = now,
        }, ct);
        // A lead created just now has no conversation to look up yet (on Cosmos DB that look-up is a billed read).
        var conversation = created
            ? await conversations.CreateForNewLeadAsync(client.Id, lead.Id, inbound.Channel, now, ct)
            : await conversations.GetOrCreateForLeadAsync(client.Id, lead.Id, inbound.Channel, now, ct);

        var metadata = new Dictionary<string, string>(inbound.Metadata ?? new Dictionary<string, string>()) { ["from"] = address };

        if (untrusted)
        {
            metadata[SenderTrust.UntrustedKey] = SenderTrust.SenderNotAuthenticated;
        }

        var message = new Message
        {
            Id = MessageIdOf(client.Id, inbound) ?? Ids.New("msg"),
            ClientId = client.Id,
            LeadId = lead.Id,
            ConversationId = conversation.Id,
            Direction = MessageDirection.Inbound,
            Channel = inbound.Channel,
            Kind = inbound.Kind,
            Text = inbound.Text,
            ProviderMessageId = string.IsNullOrEmpty(inbound.ProviderMessageId) ? null : inbound.ProviderMessageId,
            Answerable = inbound.Answerable && !untrusted,
            Metadata = metadata,
            CreatedAt = now,
        };
        var (stored, duplicate) = await conversations.AddInboundAsync(message, ct);
        if (untrusted && !duplicate)
        {
            // The ids, never the text or the address: the text is the forger's and may be anything.
            logger.LogWarning(
                "Inbound e-mail {MessageId} (provider id {ProviderMessageId}) for lead {LeadId}: neither DKIM nor SPF vouches for the sender's domain; stored, not acted on",
                stored.Id,
                inbound.ProviderMessageId,
                lead.Id);
            SalesFlowMetrics.UnauthenticatedSenders.Add(1, new KeyValuePair<string, object?>("channel", inbound.Channel.ToWire()));
        }

        // A duplicate whose turn may have been lost in a crash is queued again; the turn itself is idempotent.
        var queued = await QueueTurnAsync(stored, conversation, leadIsNew: created, ct);

        return new IntakeResult(lead.Id, conversation.Id, stored.Id, duplicate, queued, inbound.Channel, created);
    }

    /// <summary>
    /// The id an inbound message is stored under when its provider gave it one: the same for every delivery of it, so a
    /// repeated delivery finds it. Null for a message without a provider id (stored under a new id each time).
    /// </summary>
    public static string? MessageIdOf(string clientId, InboundMessage inbound) =>
        inbound.ProviderMessageId is { Length: > 0 } providerId ? Ids.Deterministic("msg", clientId, inbound.Channel.ToWire(), providerId) : null;

    /// <summary>Applies a delivery's status reports; returns how many named an outbound message of ours.</summary>
    public async Task<int> ApplyStatusesAsync(Client client, IReadOnlyList<DeliveryStatusUpdate> statuses, CancellationToken ct)
    {
        var applied = 0;
        foreach (var status in statuses)
        {
            applied += await ApplyStatusAsync(client, status, ct) ? 1 : 0;
        }

        return applied;
    }

    /// <summary>The one line per inbound message (ids only): how an operator finds a message by its correlation id.</summary>
    public void LogAccepted(IntakeResult result) =>
        logger.LogInformation(
            "Inbound {Channel} message {MessageId} for lead {LeadId} in conversation {ConversationId}: {Outcome}",
            result.Channel.ToWire(),
            result.MessageId,
            result.LeadId,
            result.ConversationId,
            result.Duplicate ? "duplicate" : result.LeadCreated ? "new lead" : "stored");

    /// <summary>
    /// A human vouches for a message held back as untrusted (an e-mail whose sender's domain neither DKIM nor SPF
    /// vouched for; small businesses often send such mail): the flag is cleared with an audit trail (who, when), the
    /// message is readmitted at the end of the conversation's sequence (so a turn that already passed over it reads it
    /// now), made answerable as its text allows, and its turn is queued exactly as for a new message. Idempotent: a
    /// second call changes nothing and at most re-queues a turn a crash lost; the turn itself writes one reply per message.
    /// </summary>
    public async Task<TrustResult> TrustAsync(Client client, string conversationId, string messageId, string trustedBy, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var conversation = await conversations.GetAsync(client.Id, conversationId, ct);
            if (conversation is null)
            {
                return new TrustResult(TrustOutcome.ConversationNotFound);
            }

            var message = await conversations.GetMessageAsync(client.Id, conversationId, messageId, ct);
            if (message is null)
            {
                return new TrustResult(TrustOutcome.MessageNotFound);
            }

            if (!message.IsUntrusted())
            {
                return message.WasTrustedByHuman()
                    ? new TrustResult(TrustOutcome.AlreadyTrusted, message, await QueueTurnAsync(message, conversation, leadIsNew: false, ct))
                    : new TrustResult(TrustOutcome.NotUntrusted);
            }

            var metadata = new Dictionary<string, string>(message.Metadata)
            {
                [SenderTrust.TrustedByKey] = trustedBy,
                [SenderTrust.TrustedAtKey] = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            };
            metadata.Remove(SenderTrust.UntrustedKey);
            Message trusted;
            try
            {
                // Answerable as the e-mail parser would have made it had the sender been authenticated: text left after stripping.
                trusted = await conversations.ReadmitInboundAsync(message, !string.IsNullOrWhiteSpace(message.Text), metadata, ct);
            }
            catch (ConcurrencyException) when (attempt < MaxTrustAttempts)
            {
                // A concurrent call vouched first (or the message changed): reload; the next pass answers as a repeat.
                continue;
            }

            logger.LogInformation(
                "Message {MessageId} of lead {LeadId} vouched for by {TrustedBy}; no longer untrusted (was {Reason})",
                trusted.Id,
                trusted.LeadId,
                trustedBy,
                message.Metadata[SenderTrust.UntrustedKey]);
            return new TrustResult(TrustOutcome.Trusted, trusted, await QueueTurnAsync(trusted, conversation, leadIsNew: false, ct));
        }
    }

    /// <summary>
    /// Signals the lead's turn when the message waits for one (answerable, not yet answered): standalone that queues it
    /// (the burst window lets a few quick messages share one turn, one queued turn per lead), under the Functions host it
    /// raises the event the lead's orchestration waits for. Signalling again is harmless.
    /// </summary>
    private async Task<bool> QueueTurnAsync(Message stored, Conversation conversation, bool leadIsNew, CancellationToken ct)
    {
        if (!stored.Answerable || stored.Seq <= conversation.AnsweredThroughSeq)
        {
            return false;
        }

        await signals.MessageArrivedAsync(stored.ClientId, stored.LeadId, options.Value.BurstWindow, leadIsNew, ct);
        return true;
    }

    /// <summary>Applies a provider's delivery report to the outbound message it names.</summary>
    public async Task<bool> ApplyStatusAsync(Client client, DeliveryStatusUpdate update, CancellationToken ct)
    {
        var status = OutboxStatus.FromReport(update.Status);
        // Our own id first when the vendor echoes it: it also finds an item whose vendor id was never recorded (in doubt).
        var now = clock.GetUtcNow();
        var applied = (update.OutboxId is { Length: > 0 } outboxId && await outbox.ApplyStatusAsync(client.Id, outboxId, update.ProviderMessageId, status, update.Error, now, ct))
            || await outbox.ApplyProviderStatusAsync(client.Id, update.ProviderMessageId, status, update.Error, now, ct);
        if (!applied)
        {
            logger.LogInformation("Status {Status} for unknown outbound message {ProviderMessageId} ignored", status, update.ProviderMessageId);
        }

        return applied;
    }

    public static (IdentityKind Kind, string Address) ResolveAddress(Client client, ChannelKind channel, string from)
    {
        if (channel == ChannelKind.Email || (channel == ChannelKind.Web && from.Contains('@', StringComparison.Ordinal)))
        {
            return ContactAddresses.NormalizeEmail(from) is { } email
                ? (IdentityKind.Email, email)
                : throw new ValidationException("from", $"'{from}' is not a valid e-mail address.");
        }

        return ContactAddresses.NormalizePhone(from, client.DefaultCountryCode) is { } phone
            ? (IdentityKind.Phone, phone)
            : throw new ValidationException("from", $"'{from}' is not a valid phone number (E.164, e.g. +491701234567).");
    }
}

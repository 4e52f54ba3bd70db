using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Conversations;

/// <summary>What one turn did.</summary>
public sealed record TurnResult(
    Conversation Conversation,
    ConversationState PreviousState,
    MessageAnalysis Analysis,
    OutboxItem? Reply);

/// <summary>
/// Answers everything a lead has sent since the last turn: analyse, move the state machine,
/// write the reply to the outbox. The ETag-guarded write of the conversation (which records
/// how far the inbound messages are answered) is the commit point; the reply's idempotency
/// key is derived from the last message it answers, so a turn re-run after a crash finds the
/// reply it already wrote instead of making a second one.
/// </summary>
public sealed class ConversationEngine(
    IClientStore clients,
    ILeadStore leads,
    IConversationStore conversations,
    IOutboxStore outbox,
    IWorkQueue queue,
    IMessageAnalyzer analyzer,
    IReplyGenerator replies,
    TimeProvider clock,
    ILogger<ConversationEngine> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>The id the reply to a message gets (whichever turn answers it).</summary>
    public static string ReplyIdFor(string clientId, string messageId) => Ids.Deterministic("out", clientId, messageId);

    public async Task<TurnResult?> ProcessLeadAsync(string clientId, string leadId, CancellationToken ct)
    {
        using var scope = logger.BeginScope("client {ClientId} lead {LeadId}", clientId, leadId);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await TryTurnAsync(clientId, leadId, ct);
                if (result is not null)
                {
                    SalesFlowMetrics.TurnDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("state", result.Conversation.State.ToWire()));
                }

                return result;
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Someone else moved the conversation (another turn, a release): reload and redo.
                logger.LogDebug("Turn for lead {LeadId} lost a race; retrying ({Attempt})", leadId, attempt);
            }
        }
    }

    private async Task<TurnResult?> TryTurnAsync(string clientId, string leadId, CancellationToken ct)
    {
        var client = await clients.GetAsync(clientId, ct);
        var lead = await leads.GetAsync(clientId, leadId, ct);
        if (client is null || lead is null)
        {
            return null; // erased meanwhile: nothing to answer
        }

        var now = clock.GetUtcNow();
        var conversation = await conversations.GetOrCreateForLeadAsync(clientId, leadId, ChannelKind.Web, now, ct);
        var pending = await conversations.ListInboundAfterAsync(clientId, conversation.Id, conversation.AnsweredThroughSeq, ct);
        if (pending.Count == 0)
        {
            await EnqueuePendingDeliveriesAsync(clientId, leadId, ct);
            return null;
        }

        var last = pending[^1];
        var answerable = pending.Where(m => m.Answerable && !string.IsNullOrWhiteSpace(m.Text)).ToList();
        var handled = conversation with { AnsweredThroughSeq = last.Seq, LastChannel = last.Channel, LastInboundAt = last.CreatedAt, UpdatedAt = now };
        if (answerable.Count == 0)
        {
            await conversations.ReplaceAsync(handled, ct);
            return null;
        }

        var text = string.Join('\n', answerable.Select(m => m.Text));
        var analysis = await analyzer.AnalyzeAsync(text, new AnalysisContext(clientId, leadId, conversation.State), ct);
        var wasEscalated = lead.Escalated;
        lead = await UpdateLeadAsync(lead, answerable, analysis, now, ct);

        var (next, reason) = SalesStateMachine.Next(conversation.State, analysis);
        var turned = handled.MoveTo(next, reason, now) with { TurnCount = conversation.TurnCount + 1 };

        OutboxItem? reply = null;
        if (ReplyPurpose(lead, wasEscalated, analysis) is { } purpose)
        {
            var replyAnalysis = purpose == OutboxPurpose.Handover ? analysis with { Intent = Intent.Human } : analysis;
            var replyText = await replies.GenerateAsync(
                new ReplyRequest(turned.State, conversation.State, replyAnalysis, lead.FirstName, last.Channel, text, turned.TurnCount, client.Name, ClientId: clientId, LeadId: leadId),
                ct);
            reply = await WriteReplyAsync(lead, last, replyText, purpose, now, ct);
        }

        var committed = await conversations.ReplaceAsync(turned, ct);
        await EnqueuePendingDeliveriesAsync(clientId, leadId, ct);

        logger.LogInformation(
            "Turn {Turn} of conversation {ConversationId}: {Intent} ({Language}, {Sentiment}) {From} → {To}; reply {ReplyId}",
            committed.TurnCount,
            committed.Id,
            analysis.Intent.ToWire(),
            analysis.Language,
            analysis.Sentiment.ToWire(),
            conversation.State.ToWire(),
            committed.State.ToWire(),
            reply?.Id ?? "none");
        return new TurnResult(committed, conversation.State, analysis, reply);
    }

    /// <summary>Null when this turn must stay silent: the lead opted out, or a human has taken over.</summary>
    private static string? ReplyPurpose(Lead lead, bool wasEscalated, MessageAnalysis analysis)
    {
        if (analysis.Intent == Intent.OptOut)
        {
            return OutboxPurpose.OptOutConfirmation;
        }

        if (lead.OptedOut || wasEscalated)
        {
            return null;
        }

        // Escalated in this very turn: the lead is told a person takes over; afterwards silence.
        return lead.Escalated ? OutboxPurpose.Handover : OutboxPurpose.Reply;
    }

    /// <summary>A turn that hands the lead to a human: they asked for one, or wrote something strongly negative.</summary>
    public static bool IsEscalationTurn(MessageAnalysis analysis) => analysis.Intent == Intent.Human || analysis.IsStronglyNegative;

    private async Task<Lead> UpdateLeadAsync(Lead lead, IReadOnlyList<Message> messages, MessageAnalysis analysis, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var updated = lead with { Language = analysis.Language };
            if (updated.Name is null && messages.Select(m => LeadFacts.FindName(m.Text)).FirstOrDefault(n => n is not null) is { } name)
            {
                updated = updated with { Name = name };
            }

            if (messages.Select(m => ContactAddresses.FindEmailIn(m.Text)).FirstOrDefault(e => e is not null) is { } email)
            {
                // An address given in chat links the e-mail channel to this lead, unless another lead already owns it.
                var owner = await leads.LinkIdentityAsync(lead.ClientId, IdentityKind.Email, email, lead.Id, ct);
                if (owner == lead.Id)
                {
                    updated = updated with { Email = email };
                }
            }

            if (analysis.Intent == Intent.OptOut)
            {
                updated = updated with { OptedOut = true };
            }
            else if (updated.OptedOut && messages.Any(m => IsOptIn(m.Text)))
            {
                updated = updated with { OptedOut = false };
            }

            if (!updated.Escalated && IsEscalationTurn(analysis) && analysis.Intent != Intent.OptOut)
            {
                updated = updated.Escalate(analysis.Intent == Intent.Human ? "lead asked for a human" : "strongly negative sentiment", now);
                SalesFlowMetrics.Escalations.Add(1);
                logger.LogWarning("Lead {LeadId} escalated to a human: {Reason}", lead.Id, updated.EscalationReason);
            }

            if (updated == lead)
            {
                return lead;
            }

            try
            {
                return await leads.ReplaceAsync(updated with { UpdatedAt = now }, ct);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                lead = await leads.GetAsync(lead.ClientId, lead.Id, ct) ?? lead;
            }
        }
    }

    /// <summary>A message that takes an opt-out back.</summary>
    public static bool IsOptIn(string text) => text.Trim().ToUpperInvariant() is "START" or "UNSTOP" or "YES" or "ANMELDEN";

    private async Task<OutboxItem> WriteReplyAsync(Lead lead, Message answered, string text, string purpose, DateTimeOffset now, CancellationToken ct)
    {
        var recipient = answered.Metadata.TryGetValue("from", out var from) ? from : lead.Phone ?? lead.Email ?? lead.Id;
        var (item, _) = await outbox.AddAsync(
            new OutboxItem
            {
                Id = ReplyIdFor(lead.ClientId, answered.Id),
                ClientId = lead.ClientId,
                LeadId = lead.Id,
                ConversationId = answered.ConversationId,
                Channel = answered.Channel,
                Recipient = recipient,
                Text = text,
                IdempotencyKey = $"reply:{answered.Id}",
                Purpose = purpose,
                CreatedAt = now,
                UpdatedAt = now,
            },
            ct);
        await conversations.AddOutboundAsync(
            new Message
            {
                Id = item.Id,
                ClientId = item.ClientId,
                LeadId = item.LeadId,
                ConversationId = item.ConversationId,
                Direction = MessageDirection.Outbound,
                Channel = item.Channel,
                Kind = "text",
                Text = item.Text,
                Answerable = false,
                Metadata = new Dictionary<string, string> { ["to"] = item.Recipient, ["purpose"] = item.Purpose },
                CreatedAt = item.CreatedAt,
            },
            ct);
        return item;
    }

    /// <summary>A turn that committed but crashed before queueing its delivery is completed here.</summary>
    private async Task EnqueuePendingDeliveriesAsync(string clientId, string leadId, CancellationToken ct)
    {
        foreach (var item in await outbox.ListAsync(clientId, leadId, OutboxStatus.Pending, 50, ct))
        {
            await queue.EnqueueAsync(Queues.Deliver, DeliverWork.Serialize(new DeliverWork(clientId, item.Id)), TimeSpan.Zero, DeliverWork.CoalesceKey(item.Id), ct);
        }
    }
}

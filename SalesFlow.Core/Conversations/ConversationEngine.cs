using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Conversations;

/// <summary>What one turn did.</summary>
/// <param name="Compliance">The verdict on the reply, when there was one.</param>
public sealed record TurnResult(
    Conversation Conversation,
    ConversationState PreviousState,
    MessageAnalysis Analysis,
    OutboxItem? Reply,
    LeadInsights? Insights = null,
    LeadProfile? Profile = null,
    ComplianceResult? Compliance = null);

/// <summary>Receives the reply's tokens as they are written (the streaming API); the stored reply follows in the <see cref="TurnResult"/>.</summary>
public delegate ValueTask ReplyTokenSink(string token, CancellationToken ct);

/// <summary>
/// Answers everything a lead has sent since the last turn: read the insights (intent, BANT, DISC, facts) and merge
/// them into the lead's profile, move the state machine (the brain's suggestion only along allowed edges and above
/// the confidence threshold), write the reply, pass it through the compliance filter, store it in the outbox. The ETag-guarded write of the conversation (which records
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
    ILeadInsightsExtractor extractor,
    IReplyGenerator replies,
    LeadProfileService profiles,
    ComplianceGate compliance,
    IOptions<ConversationOptions> options,
    TimeProvider clock,
    ILogger<ConversationEngine> logger,
    EmailVerification emailVerification,
    ContextBuilder memoryContext,
    MemoryService memory,
    IOptions<MemoryOptions> memoryOptions,
    IKnowledgeRetriever knowledge)
{

    /// <summary>The most characters of a turn (one message or a burst) the brain reads; the chat API takes messages of this size.</summary>
    public const int MaxTurnText = 4000;

    private const int MaxAttempts = 5;
    private const int KnowledgePassages = 3;

    /// <summary>
    /// The client's knowledge for this turn as "[sourceId] text" lines: the passages the reply may
    /// draw on and the compliance filter checks figures against. A failing index never blocks a reply.
    /// </summary>
    private async Task<IReadOnlyList<string>> KnowledgeForAsync(string clientId, string leadText, CancellationToken ct)
    {
        try
        {
            var context = await knowledge.RetrieveAsync(clientId, leadText, KnowledgePassages, ct);
            return context.Passages.Select(p => $"[{p.SourceId}] {p.Text}").ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Knowledge retrieval failed; the reply is written without it");
            return [];
        }
    }

    /// <summary>The id the reply to a message gets (whichever turn answers it).</summary>
    public static string ReplyIdFor(string clientId, string messageId) => Ids.Deterministic("out", clientId, messageId);

    public Task<TurnResult?> ProcessLeadAsync(string clientId, string leadId, CancellationToken ct) => ProcessLeadAsync(clientId, leadId, null, ct);

    /// <param name="onToken">Gets the reply's tokens as they are written; only the first attempt streams (a retried turn's reply arrives whole in the result).</param>
    public async Task<TurnResult?> ProcessLeadAsync(string clientId, string leadId, ReplyTokenSink? onToken, CancellationToken ct)
    {
        using var scope = logger.BeginScope("client {ClientId} lead {LeadId}", clientId, leadId);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await TryTurnAsync(clientId, leadId, attempt == 1 ? onToken : null, ct);
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

    private async Task<TurnResult?> TryTurnAsync(string clientId, string leadId, ReplyTokenSink? onToken, CancellationToken ct)
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

        // An untrusted message (a forged e-mail sender) is stored unanswerable; the flag is tested as well, so no other
        // path that stores one answerable can let it into the brain. It is passed over (AnsweredThroughSeq), but it
        // neither picks the reply's channel nor counts as the lead's latest contact.
        // A message with nothing visible in it (zero-width spaces, NUL, direction marks) is stored but never answered.
        var answerable = pending.Where(m => m.Answerable && !m.IsUntrusted() && !ReadableText.IsEmptyLooking(m.Text)).ToList();
        var latestTrusted = pending.LastOrDefault(m => !m.IsUntrusted());
        var handled = conversation with
        {
            AnsweredThroughSeq = last.Seq,
            LastChannel = latestTrusted?.Channel ?? conversation.LastChannel,
            // A message readmitted after a human vouched for it comes last but may be older than what was answered before.
            LastInboundAt = latestTrusted is null || latestTrusted.CreatedAt < conversation.LastInboundAt ? conversation.LastInboundAt : latestTrusted.CreatedAt,
            UpdatedAt = now,
        };
        if (answerable.Count == 0)
        {
            await conversations.ReplaceAsync(handled, ct);
            return null;
        }

        // The reply answers the newest message it read, on that message's channel and address.
        var answered = answerable[^1];

        // The brain reads at most MaxTurnText characters (the message itself is stored whole): the rules' regexes and a
        // model's prompt have no business with a megabyte an e-mail sender chose to send.
        var joined = string.Join('\n', answerable.Select(m => m.Text));
        var text = joined.Length > MaxTurnText ? joined[..MaxTurnText] : joined;
        var insights = await extractor.ExtractAsync(text, new AnalysisContext(clientId, leadId, conversation.State), ct);
        var analysis = insights.Analysis;
        var wasEscalated = lead.Escalated;
        var verifiedEmail = await emailVerification.HandleTurnAsync(client.Name, lead, conversation.Id, answerable, now, ct);
        lead = await UpdateLeadAsync(lead, answerable, analysis, verifiedEmail, now, ct);
        var profile = await profiles.MergeAsync(clientId, leadId, insights, last.Seq, now, ct);

        var (next, reason) = SalesStateMachine.Next(conversation.State, insights, options.Value.SuggestionConfidence);
        var turned = handled.MoveTo(next, reason, now) with { TurnCount = conversation.TurnCount + 1 };

        OutboxItem? reply = null;
        ComplianceResult? verdict = null;
        if (ReplyPurpose(lead, wasEscalated, analysis) is { } purpose)
        {
            var replyAnalysis = purpose == OutboxPurpose.Handover ? analysis with { Intent = Intent.Human } : analysis;
            var knowledge = purpose == OutboxPurpose.Reply ? await KnowledgeForAsync(clientId, text, ct) : [];
            var request = new ReplyRequest(turned.State, conversation.State, replyAnalysis, lead.FirstName, answered.Channel, text, turned.TurnCount, client.Name, ClientId: clientId, LeadId: leadId, Insights: insights, Knowledge: knowledge, DealValue: BudgetAmount.Parse(profile.Facts.Budget));
            request = await WithMemoryAsync(request, conversation.Id, pending[0].Seq, ct);
            var written = onToken is null ? await replies.GenerateAsync(request, ct) : await StreamReplyAsync(request, onToken, ct);

            // The rules brain is deterministic: its reply is both the safe fallback and the test of who wrote this one.
            var vetted = RulesReplyGenerator.Generate(request);
            var input = new ComplianceInput(written, answered.Channel, purpose, text, request.Knowledge ?? [], ContactsOf(lead, answered), vetted);
            verdict = compliance.Check(input);
            reply = await WriteReplyAsync(lead, answered, verdict.Text, purpose, now, ct);
            await compliance.RecordAsync(reply, input, verdict, written == vetted ? "rules" : "llm", now, ct);
        }

        var committed = await conversations.ReplaceAsync(turned, ct);
        await EnqueuePendingDeliveriesAsync(clientId, leadId, ct);
        await UpdateMemoryAsync(clientId, leadId, committed.Id, ct);

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
        return new TurnResult(committed, conversation.State, analysis, reply, insights, profile, verdict);
    }

    /// <summary>The three memory layers fitted to the budget: the prompt's reserve and this turn's text come off it first.</summary>
    private async Task<ReplyRequest> WithMemoryAsync(ReplyRequest request, string conversationId, long firstPendingSeq, CancellationToken ct)
    {
        var budget = memoryOptions.Value.TokenBudget - MemoryOptions.PromptReserve - TokenEstimator.Count(request.LeadText);
        var context = await memoryContext.BuildAsync(request.ClientId!, request.LeadId!, conversationId, request.LeadText, Math.Max(0, budget), ct);
        return request with
        {
            History = context.Messages.Where(m => m.Seq < firstPendingSeq).Select(ToHistory).ToList(),
            Summary = context.Summary,
            Recalled = context.Recalls.Where(r => r.Kind == MemoryKinds.Message).OrderBy(r => r.Seq).Select(r => new HistoryMessage(r.FromLead, r.Text, request.Channel, r.At)).ToList(),
            KeyFacts = context.KeyFacts,
        };
    }

    public static HistoryMessage ToHistory(Message m) => new(m.Direction == MessageDirection.Inbound, m.Text, m.Channel, m.CreatedAt);

    /// <summary>After the commit: the turn stands whatever memory does, so a failure here is logged, not retried.</summary>
    private async Task UpdateMemoryAsync(string clientId, string leadId, string conversationId, CancellationToken ct)
    {
        try
        {
            await memory.AfterTurnAsync(clientId, leadId, conversationId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Memory update for lead {LeadId} failed; the next turn or the summary-refresh timer catches up", leadId);
        }
    }

    private async Task<string> StreamReplyAsync(ReplyRequest request, ReplyTokenSink onToken, CancellationToken ct)
    {
        string? final = null;
        await foreach (var chunk in replies.StreamAsync(request, ct))
        {
            if (chunk.IsFinal)
            {
                final = chunk.Text;
            }
            else
            {
                await onToken(chunk.Text, ct);
            }
        }

        return final ?? throw new InvalidOperationException("The reply stream ended without its final chunk.");
    }

    /// <summary>The lead's own addresses: the compliance filter lets a reply repeat these, and no others.</summary>
    private static List<string> ContactsOf(Lead lead, Message answered)
    {
        List<string> contacts = [.. new[] { lead.Email, lead.Phone }.OfType<string>()];
        if (answered.Metadata.TryGetValue("from", out var from))
        {
            contacts.Add(from);
        }

        return contacts;
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

    /// <param name="verifiedEmail">An address the lead proved in this turn (the code of its confirmation e-mail): the lead's e-mail from now on.</param>
    private async Task<Lead> UpdateLeadAsync(Lead lead, IReadOnlyList<Message> messages, MessageAnalysis analysis, string? verifiedEmail, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var updated = lead with { Language = analysis.Language };
            if (updated.Name is null && messages.Select(m => LeadFacts.FindName(m.Text)).FirstOrDefault(n => n is not null) is { } name)
            {
                updated = updated with { Name = name };
            }

            // An address typed in chat is only a claim (EmailVerification): it becomes the lead's e-mail once proved.
            if (verifiedEmail is not null)
            {
                updated = updated with { Email = verifiedEmail };
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

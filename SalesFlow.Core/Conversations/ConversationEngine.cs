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
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Meetings;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Qualification;
using SalesFlow.Core.Reach;

namespace SalesFlow.Core.Conversations;

/// <summary>What one turn did.</summary>
/// <param name="Lead">The lead as the turn left it (opt-out, escalation and profile fields updated).</param>
/// <param name="Client">The client the turn read (what comes after the turn, e.g. the follow-up plan, need not read it again).</param>
/// <param name="Compliance">The verdict on the reply, when there was one.</param>
public sealed record TurnResult(
    Conversation Conversation,
    ConversationState PreviousState,
    MessageAnalysis Analysis,
    OutboxItem? Reply,
    Lead Lead,
    Client Client,
    LeadInsights? Insights = null,
    LeadProfile? Profile = null,
    ComplianceResult? Compliance = null,
    DateTimeOffset? CheckBackAt = null);

/// <summary>Receives the reply's tokens as they are written (the streaming API); the stored reply follows in the <see cref="TurnResult"/>.</summary>
public delegate ValueTask ReplyTokenSink(string token, CancellationToken ct);

/// <summary>
/// Answers everything a lead has sent since the last turn: read the insights (intent, BANT, DISC, facts), write what
/// they tell about the lead back (<see cref="LeadTurnUpdater"/>), move the state machine (the brain's suggestion only
/// along allowed edges and above the confidence threshold), and have the reply written with the client's knowledge
/// and the lead's memory (<see cref="TurnKnowledge"/>, <see cref="TurnMemory"/>, <see cref="ReplyWriter"/>). The
/// ETag-guarded write of the conversation (which records how far the inbound messages are answered) is the commit
/// point; the reply's idempotency key is derived from the last message it answers, so a turn re-run after a crash
/// finds the reply it already wrote instead of making a second one. A committed move to another sales stage is
/// published as an integration event.
/// </summary>
public sealed class ConversationEngine(
    IClientStore clients,
    ILeadStore leads,
    IConversationStore conversations,
    ILeadInsightsExtractor extractor,
    LeadTurnUpdater leadUpdates,
    TurnKnowledge knowledge,
    TurnMemory memory,
    ReplyWriter replies,
    IIntegrationEvents integrationEvents,
    IOptions<ConversationOptions> options,
    TimeProvider clock,
    ILogger<ConversationEngine> logger,
    MeetingDialogue meetings,
    Recommendations.RecommendationService recommendations,
    LeadScoreRefresher scores,
    Analytics.ITurnObserver turnObserver,
    LeadTurnGate gate)
{
    /// <summary>The most characters of a turn (one message or a burst) the brain reads; the chat API takes messages of this size.</summary>
    public const int MaxTurnText = 4000;

    private const int MaxAttempts = 5;

    public Task<TurnResult?> ProcessLeadAsync(string clientId, string leadId, CancellationToken ct) => ProcessLeadAsync(clientId, leadId, null, ct);

    /// <param name="onToken">Gets the reply's tokens as they are written; only the first attempt streams (a retried turn's reply arrives whole in the result).</param>
    public async Task<TurnResult?> ProcessLeadAsync(string clientId, string leadId, ReplyTokenSink? onToken, CancellationToken ct)
    {
        using var scope = logger.BeginScope("client {ClientId} lead {LeadId}", clientId, leadId);
        var started = Stopwatch.GetTimestamp();
        using var turn = await gate.EnterAsync(clientId, leadId, ct);
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

        // What the turn runs inline (the reactions to its integration events) uses this read of the client.
        using var heldClient = TurnClient.Hold(client);

        var now = clock.GetUtcNow();
        // A plain read first: the lead's conversation nearly always exists (intake created it), and on the embedded store
        // the get-or-create is a write transaction that would queue behind every other writer just to read.
        var conversation = await conversations.FindForLeadAsync(clientId, leadId, ct)
            ?? await conversations.GetOrCreateForLeadAsync(clientId, leadId, ChannelKind.Web, now, ct);
        var pending = await conversations.ListInboundAfterAsync(clientId, conversation.Id, conversation.AnsweredThroughSeq, ct);
        if (pending.Count == 0)
        {
            await replies.EnqueuePendingDeliveriesAsync(clientId, leadId, ct);
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
        insights = insights with { Analysis = insights.Analysis with { Language = RulesInsightsExtractor.LanguageFor(text, insights.Analysis.Language, lead.Language) } };
        var wasEscalated = lead.Escalated;
        (lead, var profile, var consent, var email) = await leadUpdates.ApplyAsync(client.Name, lead, conversation.Id, answerable, insights, last.Seq, now, ct);
        if (consent == ConsentChange.OptedOut && insights.Analysis.Intent != Intent.OptOut)
        {
            // A carrier keyword the brain read otherwise ("CANCEL", "END"): the state machine and the reply treat it as the opt-out it is.
            insights = insights with { Analysis = insights.Analysis with { Intent = Intent.OptOut } };
        }
        else if (consent == ConsentChange.OptedIn)
        {
            // "START" opts back in; it is no buying signal (it moved the conversation to closing, whose question followed).
            insights = insights with { Analysis = insights.Analysis with { Intent = Intent.Other } };
        }

        // A short answer ("yes", "passt", "no", "ok") is read against what SalesFlow last asked (DialogueContext).
        // SalesFlow's last message, read at most once per turn and only by a reading that needs it.
        Task<IReadOnlyList<Message>>? recentRead = null;
        Task<IReadOnlyList<Message>> Recent() => recentRead ??= conversations.ListMessagesAsync(conversation.ClientId, conversation.Id, RecentMessages, ct);
        async Task<string?> LastPrompt() => (await Recent()).LastOrDefault(m => m.Direction == MessageDirection.Outbound)?.Text;
        async Task<string?> EarlierLeadText() => (await Recent()).LastOrDefault(m => m.Direction == MessageDirection.Inbound && m.Seq < pending[0].Seq && !m.IsUntrusted())?.Text;

        // The fixed replies (times, short answers, check-backs) in the lead's form of address: du to a lead who writes du.
        // The earlier messages are read only when this turn's text shows no form of address.
        async Task<string> Addressed(string fixedText)
        {
            if (!GermanAddress.HasSieForm(fixedText))
            {
                return fixedText;
            }

            var du = GermanAddress.ShowsAForm(text)
                ? GermanAddress.LeadUsesDu(text, null)
                : GermanAddress.LeadUsesDu(text, [.. (await Recent()).Where(m => m.Direction == MessageDirection.Inbound).Select(m => new HistoryMessage(true, m.Text, m.Channel, m.CreatedAt))]);
            return du ? GermanAddress.ToDu(fixedText) : fixedText;
        }
        var reading = await ReadAgainstLastPromptAsync(text, insights.Analysis, conversation.TurnCount, lead.AddressedAs, lead.Language, LastPrompt)
            ?? EmailTexts.ReadingFor(email, text, lead.Language == "de", lead.AddressedAs);
        // "can you text me again next week?": when we write again, said in the reply and kept by the follow-up (not a meeting wish).
        var zone = FollowUps.FollowUpPlanner.ZoneOf(Reach.LeadTimeZone.For(lead, client));
        var checkBackAt = await CheckBackAsync(text, insights.Analysis, answered.CreatedAt, zone, LastPrompt);
        if (checkBackAt is { } checkBack)
        {
            reading = new DialogueReading(Intent.Objection, FollowUps.CheckBack.Confirmation(checkBack, zone, lead.Language ?? insights.Analysis.Language, lead.AddressedAs, text));
        }

        if (reading?.Intent is { } contextual)
        {
            insights = insights with { Analysis = insights.Analysis with { Intent = contextual, Confidence = Math.Max(insights.Analysis.Confidence, 0.9) } };
        }

        var analysis = insights.Analysis;

        var (next, reason) = SalesStateMachine.Next(conversation.State, insights, options.Value.SuggestionConfidence);
        var turned = handled.MoveTo(next, reason, now) with { TurnCount = conversation.TurnCount + 1 };

        OutboxItem? reply = null;
        ComplianceResult? verdict = null;
        // The conversation's first reply carries the client's AI disclosure, if it set one.
        var policy = CompliancePolicy.For(client, firstMessage: conversation.TurnCount == 0);

        // Meetings first (offer, book, cancel, move), only where a normal reply would be written; a booking closes.
        var meetingTurn = ReplyWriter.PurposeOf(lead, wasEscalated, consent) is OutboxPurpose.Reply && checkBackAt is null
            ? await meetings.TryHandleAsync(new MeetingTurnContext(client, lead, answered, text, analysis, conversation.State, turned.State), ct)
            : null;
        if (meetingTurn is not null)
        {
            // The product questions asked beside the meeting wish are answered before the times, in the client's words (the
            // du-form is our templates' only: turning a client's Sie-form text pronoun by pronoun left "Sie können deine …").
            var asked = TurnKnowledge.ProductQuestionsIn(text);
            var found = await knowledge.ForQuestionsAsync(clientId, client.Name, asked, analysis.Language, ct);
            var times = await Addressed(meetingTurn.Text);
            var meetingText = RulesReplyGenerator.AnswersBeside(found, asked, analysis.Language, !answered.Channel.IsShortForm(), ReplyText.ShortFormLimit - times.Length - 2) is { } answers
                ? answers + (answered.Channel.IsShortForm() ? " " : "\n\n") + times
                : times;
            var openQuestion = RulesReplyGenerator.LeftToTheTeamBeside(found, asked) ? ColleagueFollowUps.MetadataFor(ColleagueFollowUp.OpenQuestion) : null;
            (reply, verdict) = await replies.WriteFixedAsync(lead, answered, OutboxPurpose.Reply, meetingText, client.Name, found.Passages, openQuestion, policy, now, ct);
            if (meetingTurn.Booked && turned.State != ConversationState.ClosingAttempt && SalesStateMachine.IsAllowed(turned.State, ConversationState.ClosingAttempt))
            {
                (next, reason) = (ConversationState.ClosingAttempt, "meeting booked");
                turned = turned.MoveTo(next, reason, now);
            }
        }
        else if (reading?.FixedReply is { } shortReply && ReplyWriter.PurposeOf(lead, wasEscalated, consent) is OutboxPurpose.Reply)
        {
            (reply, verdict) = await replies.WriteFixedAsync(lead, answered, OutboxPurpose.Reply, await Addressed(shortReply), client.Name, [], checkBackAt is { } promised ? FollowUps.CheckBack.MetadataFor(promised) : null, policy, now, ct);
        }
        else if (ReplyWriter.PurposeOf(lead, wasEscalated, consent) is OutboxPurpose.OptInConfirmation)
        {
            (reply, verdict) = await replies.WriteFixedAsync(lead, answered, OutboxPurpose.OptInConfirmation, await Addressed(ConsentTexts.OptIn(lead.Language, lead.AddressedAs, client.Name)), client.Name, [], null, policy, now, ct);
        }
        else if (ReplyWriter.PurposeOf(lead, wasEscalated, consent) is { } purpose)
        {
            var replyAnalysis = purpose == OutboxPurpose.Handover ? analysis with { Intent = Intent.Human } : analysis;
            var found = purpose == OutboxPurpose.Reply ? await knowledge.ForAsync(clientId, client.Name, text, replyAnalysis.Language, EarlierLeadText, ct) : KnowledgeForReply.None;
            var request = new ReplyRequest(turned.State, conversation.State, replyAnalysis, lead.AddressedAs, answered.Channel, text, turned.TurnCount, client.Name, ClientId: clientId, LeadId: leadId, Insights: insights, Knowledge: found.Passages, DealValue: BudgetAmount.Parse(profile.Facts.Budget), LeadFullName: lead.Name, UnansweredQuestions: found.Unanswered);
            request = await memory.WithMemoryAsync(request, conversation.Id, pending[0].Seq, profile, ct);
            var forAPerson = purpose == OutboxPurpose.Reply ? ColleagueFollowUps.MetadataFor(ColleagueFollowUps.For(request)) : null;
            (reply, verdict) = await replies.WriteAsync(request, lead, answered, purpose, forAPerson, policy, onToken, now, ct);
        }

        var committed = await conversations.ReplaceAsync(turned, ct);
        await replies.EnqueuePendingDeliveriesAsync(clientId, leadId, ct);

        // After the reply's delivery is queued: a slow broker delays the event, not the lead's answer.
        if (committed.State != conversation.State)
        {
            await integrationEvents.PublishBestEffortAsync(
                new LeadStateChanged(clientId, leadId, now, committed.Id, committed.TurnCount, conversation.State.ToWire(), committed.State.ToWire(), reason),
                logger,
                ct);
        }

        await memory.AfterTurnAsync(clientId, leadId, committed.Id, ct);
        // After the commit, best effort: the score and the next best actions are derived state their timers refresh too.
        // They read the lead's recent messages from one read; a failed read leaves both to the timers.
        var recent = await RecentMessagesAsync(committed, ct);
        // The stored score (and the lead list row) reflects the committed turn; publishes LeadBecameHot when it turns hot.
        var score = recent is null ? null : await scores.RefreshAfterTurnAsync(lead, committed, profile, recent, ct);

        // A check-back promised this turn or an earlier one ("thx" after it) still holds for this reply's follow-ups.
        var checkBackHolds = checkBackAt ?? (recent is null ? null : FollowUps.CheckBack.Promised(recent, now));
        var result = new TurnResult(committed, conversation.State, analysis, reply, lead, client, insights, profile, verdict, checkBackHolds);
        // Analytics: one store call per turn; it logs its own failures and never fails the turn.
        await turnObserver.ObserveAsync(result, answerable, ct);

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
        if (recent is not null)
        {
            await recommendations.AfterTurnAsync(result, recent, score, ct);
        }

        return result;
    }

    /// <summary>The committed conversation's recent messages for what follows the turn; null (logged) when the read fails.</summary>
    private async Task<IReadOnlyList<Message>?> RecentMessagesAsync(Conversation committed, CancellationToken ct)
    {
        try
        {
            return await conversations.ListMessagesAsync(committed.ClientId, committed.Id, LeadScoreReader.MessageWindow, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Reading conversation {ConversationId} after its turn failed; score and recommendations wait for their timers", committed.Id);
            return null;
        }
    }

    /// <summary>The short answer read against SalesFlow's newest message before this turn; null when the lead said more.</summary>
    /// <summary>
    /// When the lead asked us to write again (<see cref="FollowUps.CheckBack"/>); the last prompt is read only for a
    /// message that names a time without asking in so many words (the answer to "When would be a better time…?").
    /// </summary>
    private static async Task<DateTimeOffset?> CheckBackAsync(string text, MessageAnalysis analysis, DateTimeOffset writtenAt, TimeZoneInfo zone, Func<Task<string?>> lastPrompt)
    {
        if (analysis.Intent is Intent.OptOut or Intent.Human || !(FollowUps.CheckBack.IsRequested(text, null) || FollowUps.CheckBack.NamesATime(text)))
        {
            return null;
        }

        return FollowUps.CheckBack.For(text, await lastPrompt(), writtenAt, zone);
    }

    /// <summary>How many of the latest messages the turn reads for SalesFlow's last prompt and the lead's form of address.</summary>
    private const int RecentMessages = 10;

    private static async Task<DialogueReading?> ReadAgainstLastPromptAsync(string text, MessageAnalysis analysis, int turnCount, string? name, string? language, Func<Task<string?>> lastPrompt)
    {
        // Read only what may answer a prompt: a short answer, or (after a first turn) what may be a support case's details;
        // a first price question costs no read (docs/benchmarks.md, round trips of one inbound message).
        var shortAnswer = DialogueContext.Read(text) != ShortAnswer.None;
        // A question about the product is no case's details: "how do i know yours wont do the same" was thanked and told the colleague had it.
        var mayBeDetails = turnCount > 0 && analysis.Intent is Intent.Other or Intent.Support or Intent.Greeting or Intent.Question or Intent.Interest
            && !(analysis.Intent == Intent.Question && Brain.Rules.IntentRules.AsksAboutTheBusiness(Brain.Rules.LeadText.Parse(text)));
        if (analysis.Intent is Intent.OptOut or Intent.Human || !(shortAnswer || mayBeDetails))
        {
            return null;
        }

        var lastOutbound = await lastPrompt();
        var german = string.Equals(language ?? analysis.Language, "de", StringComparison.OrdinalIgnoreCase);
        return DialogueContext.AfterSupportDetails(lastOutbound, analysis.Intent, german, name)
            ?? (shortAnswer ? DialogueContext.Interpret(lastOutbound, text, german, name) : null);
    }
}

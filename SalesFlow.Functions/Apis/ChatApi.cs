using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Coaching;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Leads;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// Streaming chat for the dashboard, as server-sent events: <c>event: token</c> per piece of text, then one
/// <c>event: done</c> (or <c>event: error</c>). Mode "lead": the lead writes, with exactly the intake and turn of
/// POST /api/conversations/{id}/messages; the streamed tokens are the draft as it is written, released a sentence at a
/// time once the compliance filter passed it (a leak is never streamed), the done event carries the reply as stored. Mode "coach": a sales rep asks about the conversation; the answer is
/// for the rep only (no outbox, not stored).
/// </summary>
public static class ChatApi
{
    public const string LeadMode = "lead";
    public const string CoachMode = "coach";

    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/chat").WithTags("Chat").RequireClientKey();
        api.MapPost("/stream", StreamAsync)
            .WithName("ChatStream")
            .WithSummary("Server-sent events: a lead's message answered token by token (mode lead), or a rep's question to the coach (mode coach).")
            .WithDescription("Each event is one `event:` line and one JSON `data:` line. `token` {text} per piece of text; then one `done`: mode lead {mode, conversationId, state, previousState, intent, reply, outboxId, compliance {verdict, ruleIds}, usage, timing}, mode coach {mode, conversationId, state, intent, answer, usage, timing}; or `error` {message, traceId} when the answer fails after the stream began. `usage` {calls, inputTokens, outputTokens, totalTokens, costUsd, models[]}; `timing` {brain, ttftMs, addedLatencyMs, preUpstreamMs, postUpstreamMs, upstreamTtftMs, totalMs}.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream") // the events' records: ChatContracts.cs
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> StreamAsync(
        ChatStreamRequest? request,
        HttpContext http,
        IConversationStore conversations,
        ILeadStore leads,
        IServiceProvider services,
        ILogger<ChatStreamRequest> logger,
        CancellationToken ct)
    {
        if (request is null)
        {
            return ErrorHandling.BadField(http, "body", "A JSON body {conversationId, message, mode?} is required.");
        }

        if (string.IsNullOrWhiteSpace(request.ConversationId) && !ChatStreamStart.Wants(request))
        {
            return ErrorHandling.BadField(http, "conversationId", "conversationId is required (or, in mode lead, channel and from to start a new lead).");
        }

        if ((ConversationsApi.ValidateMessage(http, request.Message) ?? ConversationsApi.ValidateIdempotencyKey(http)) is { } invalid)
        {
            return invalid;
        }

        var mode = string.IsNullOrWhiteSpace(request.Mode) ? LeadMode : request.Mode.Trim().ToLowerInvariant();
        if (mode is not (LeadMode or CoachMode))
        {
            return ErrorHandling.BadField(http, "mode", "mode must be lead or coach.");
        }

        InboundMessage? first = null;
        if (ChatStreamStart.Wants(request) && ChatStreamStart.Read(http, request, mode, out first) is { } badStart)
        {
            return badStart;
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var conversation = first is null ? await conversations.GetAsync(client.Id, request.ConversationId!, ct) : null;
        var lead = conversation is null ? null : await leads.GetAsync(client.Id, conversation.LeadId, ct);
        if (first is null && (conversation is null || lead is null))
        {
            return ErrorHandling.Problem(http, StatusCodes.Status404NotFound, $"Conversation '{request.ConversationId}' not found.", "conversationId");
        }

        var timeline = StreamTimeline.Start();
        var usage = AiUsageScope.Begin();
        var events = ServerSentEvents.Start(http);
        async ValueTask Token(string text, CancellationToken token)
        {
            timeline.MarkFirstToken();
            await events.WriteAsync("token", new ChatTokenEvent(text), token);
        }

        try
        {
            var leadDone = first is not null
                ? LeadDone(await ChatStreamStart.AnswerAsync(services, client, first, Token, ct))
                : mode == LeadMode ? await LeadTurnAsync(client, conversation!, lead!, request.Message!.Trim(), Token, http, services, ct) : null;
            var coachDone = first is null && mode == CoachMode ? await CoachAsync(client, conversation!, request.Message!.Trim(), Token, services, ct) : null;
            timeline.MarkDone();
            var brain = timeline.UpstreamRequestedAt is null ? "rules" : "llm";
            Record(timeline, mode, brain);
            var (spent, timing) = (UsageOf(usage), TimingOf(timeline, brain));
            object done = leadDone is not null ? leadDone with { Usage = spent, Timing = timing } : coachDone! with { Usage = spent, Timing = timing };
            await events.WriteAsync("done", done, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The status line is sent: the failure can only be told as an event.
            logger.LogError(e, "Chat stream for conversation {ConversationId} failed", conversation?.Id ?? "(new lead)");
            await events.WriteAsync("error", new ChatErrorEvent("The answer could not be completed; it has been logged.", http.TraceIdentifier), CancellationToken.None);
        }

        return Results.Empty;
    }

    /// <summary>The lead writes: exactly the turn of POST /api/conversations/{id}/messages (<see cref="InlineTurns"/>), its reply streamed.</summary>
    private static async Task<ChatLeadDoneEvent> LeadTurnAsync(Core.Clients.Client client, Conversation conversation, Lead lead, string message, ReplyTokenSink onToken, HttpContext http, IServiceProvider services, CancellationToken ct)
    {
        var turn = await services.GetRequiredService<InlineTurns>().ContinueAsync(client, conversation, lead, message, ConversationsApi.IdempotencyKey(http), onToken, ct);
        return LeadDone(turn);
    }

    private static ChatLeadDoneEvent LeadDone(LeadTurn turn) =>
        new(
            LeadMode,
            turn.Conversation.Id,
            turn.Conversation.State.ToWire(),
            turn.PreviousState.ToWire(),
            turn.Analysis!.Intent.ToWire(),
            turn.Reply?.Text,
            turn.Reply?.Id,
            turn.Compliance is { } verdict ? new ChatComplianceDto(verdict.Verdict.ToWire(), verdict.RuleIds) : null)
        {
            LeadId = turn.Conversation.LeadId,
        };

    /// <summary>A rep asks the coach: answered from the conversation and the lead's profile; nothing is stored or sent.</summary>
    private static async Task<ChatCoachDoneEvent> CoachAsync(Core.Clients.Client client, Conversation conversation, string question, ReplyTokenSink onToken, IServiceProvider services, CancellationToken ct)
    {
        var conversations = services.GetRequiredService<IConversationStore>();
        var profiles = services.GetRequiredService<ILeadProfileStore>();
        var coach = services.GetRequiredService<ISalesCoach>();
        var window = services.GetRequiredService<IOptions<Core.Memory.MemoryOptions>>().Value.HotWindow;

        var messages = await conversations.ListMessagesAsync(client.Id, conversation.Id, 500, ct);
        // The coach is a model too: a forged e-mail sender's text must not reach it as the lead's words.
        var recent = messages.Where(m => !m.IsUntrusted()).TakeLast(window).ToList();
        var lastLead = recent.LastOrDefault(m => m.Direction == MessageDirection.Inbound)?.Text ?? "";
        var request = new CoachRequest(
            client.Id,
            conversation.LeadId,
            client.Name,
            conversation.State,
            await profiles.GetAsync(client.Id, conversation.LeadId, ct),
            recent.Select(m => new HistoryMessage(m.Direction == MessageDirection.Inbound, m.Text, m.Channel, m.CreatedAt)).ToList(),
            lastLead,
            question);

        var answer = await ReplyStreaming.ForwardTokensAsync(coach.AskAsync(request, ct), (token, c) => onToken(token, c), ct);

        return new ChatCoachDoneEvent(
            CoachMode,
            conversation.Id,
            conversation.State.ToWire(),
            lastLead.Length == 0 ? null : RulesInsightsExtractor.Analyze(lastLead).Intent.ToWire(),
            answer);
    }

    private static ChatUsageDto UsageOf(AiUsageScope usage)
    {
        var total = usage.Total;
        return new ChatUsageDto(
            total.Calls,
            total.InputTokens,
            total.OutputTokens,
            total.TotalTokens,
            Math.Round(total.CostUsd, 9),
            [.. usage.Records.GroupBy(r => r.Model).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ChatModelUsageDto(
                g.Key,
                g.Count(),
                g.Sum(r => r.InputTokens),
                g.Sum(r => r.OutputTokens),
                Math.Round(g.Sum(r => r.CostUsd), 9)))]);
    }

    private static ChatTimingDto TimingOf(StreamTimeline t, string brain) =>
        new(brain, t.TimeToFirstTokenMs, t.AddedLatencyMs, t.PreUpstreamMs, t.PostUpstreamMs, t.UpstreamTimeToFirstTokenMs, t.TotalMs);

    private static void Record(StreamTimeline t, string mode, string brain)
    {
        var tags = new System.Diagnostics.TagList { { "mode", mode }, { "brain", brain } };
        if (t.TimeToFirstTokenMs is { } ttft)
        {
            SalesFlowMetrics.ChatTimeToFirstToken.Record(ttft, tags);
        }

        if (t.AddedLatencyMs is { } added)
        {
            SalesFlowMetrics.ChatAddedLatency.Record(added, tags);
        }

        if (t.TotalMs is { } total)
        {
            SalesFlowMetrics.ChatDuration.Record(total, tags);
        }
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Ai.Usage;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Observability;

namespace SalesFlow.Core.Brain.Llm;

/// <summary>
/// Writes the reply with a chat model: the system prompt for the turn's role (sales coach, deal medic, objection
/// firefighter) with personality-aware phrasing, the stage goal, the lead's language and the channel's length
/// (asked for ≤ 280 characters on WhatsApp/SMS/web and trimmed at a sentence boundary if the model overshoots; a short
/// e-mail otherwise), then the context (facts, history, knowledge passages) and the lead's message. The model is picked
/// by <see cref="ModelRouter"/>; every call is priced and recorded. Whenever the model fails, times out (AI:ReplyDeadline),
/// refuses, answers empty or its breaker is open, the rules brain answers instead: the lead never waits in silence.
/// Opt-out confirmations, hand-overs and strongly negative turns always use the rules brain's vetted templates.
/// </summary>
public sealed class LlmReplyGenerator(
    IChatClient chat,
    ModelRouter router,
    AiUsageTracker usage,
    IReplyGenerator fallback,
    IOptions<AiOptions> options,
    ILogger<LlmReplyGenerator> logger) : IReplyGenerator
{
    public const int EmailMaxChars = 1500;

    public async Task<string> GenerateAsync(ReplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AnswersWithRules(request.Analysis))
        {
            return await fallback.GenerateAsync(request, cancellationToken);
        }

        var clientId = request.ClientId ?? "unknown";
        var (route, fallbackReason) = await RouteAsync(request, clientId, cancellationToken);
        if (route?.Model is null)
        {
            return await FallbackAsync(request, fallbackReason ?? "no model", cancellationToken);
        }

        var messages = BuildMessages(request);
        var chatOptions = ReplyChatOptions(route.Model, request.Channel);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.ReplyDeadline);
        var started = Stopwatch.GetTimestamp();
        var context = new AiCallContext(clientId, request.LeadId, AiPurpose.Reply);
        var estimatedInput = TokenEstimator.CountPrompt(messages.Select(m => new EstimatedMessage(m.Role.Value, m.Text)));
        try
        {
            var response = await chat.GetResponseAsync(messages, chatOptions, deadline.Token);
            var elapsed = Stopwatch.GetElapsedTime(started);
            await usage.RecordAsync(context, response.ModelId ?? route.Model, response.Usage, estimatedInput, TokenEstimator.Count(response.Text), elapsed, true, CancellationToken.None);

            if (response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>().Any())
            {
                return await FallbackAsync(request, "model refused", cancellationToken);
            }

            var text = Clean(response.Text);
            if (text.Length == 0)
            {
                return await FallbackAsync(request, "empty answer", cancellationToken);
            }

            logger.LogInformation("Reply by {Model} ({Route}) in {Ms} ms", route.Model, route.Reason, (int)elapsed.TotalMilliseconds);
            return FitToChannel(text, request.Channel);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var reason = e switch
            {
                AiException ai => ai.Failure.ToString(),
                OperationCanceledException => "deadline",
                _ => e.GetType().Name,
            };
            logger.LogWarning("Model reply failed ({Reason}: {Message}); the rules brain answers", reason, e.Message);
            if (e is not AiException { Failure: AiFailure.CircuitOpen })
            {
                await usage.RecordAsync(context, route.Model, null, 0, 0, elapsed, false, CancellationToken.None);
            }

            return await FallbackAsync(request, reason, cancellationToken);
        }
    }

    /// <summary>Opt-out confirmations, hand-overs and strongly negative turns: the rules brain's vetted templates, no model call.</summary>
    public static bool AnswersWithRules(MessageAnalysis analysis) =>
        analysis.Intent is Intent.OptOut or Intent.Human || analysis.IsStronglyNegative;

    /// <summary>What the router sees of a turn (also used by the routing evaluation, tools/SalesFlow.RoutingEval).</summary>
    public static RouteInput RouteInputFor(ReplyRequest request, double? remainingBudgetFraction) => new(
        request.State,
        request.Analysis.Intent,
        request.Analysis.SentimentScore,
        request.LeadText.Length,
        request.Analysis.Intent == Intent.Objection,
        request.DealValue,
        remainingBudgetFraction,
        request.Analysis.Confidence);

    /// <summary>
    /// The route of a turn. When a model read the turn, the rules analyser's reading of it is routed too and the harder
    /// route wins (the higher complexity score): the extraction runs on the small model, and a misreading there (an
    /// objection read as a question, a complaint as neutral) must not send a hard turn to the small model. So routing is
    /// never cheaper than on the rules reading alone, which is what tools/SalesFlow.RoutingEval measures.
    /// </summary>
    public static ModelRoute Route(ModelRouter router, string clientId, ReplyRequest request, double? remainingBudgetFraction)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(request);
        var route = router.Route(clientId, RouteInputFor(request, remainingBudgetFraction));
        if (request.Insights?.RulesReading is not { } rules || rules == request.Analysis)
        {
            return route;
        }

        var byRules = router.Route(clientId, RouteInputFor(request with { Analysis = rules }, remainingBudgetFraction));
        return byRules.Score > route.Score ? byRules with { Reason = "rules reading: " + byRules.Reason } : route;
    }

    /// <summary>The options of a reply call: the routed model, the channel's output cap, temperature 0.6.</summary>
    public static ChatOptions ReplyChatOptions(string model, ChannelKind channel) => new()
    {
        ModelId = model,
        MaxOutputTokens = MaxOutputTokensFor(channel),
        Temperature = 0.6f,
    };

    /// <summary>The reply's output token cap: 160 on WhatsApp/SMS/web (280 characters), 600 on e-mail.</summary>
    public static int MaxOutputTokensFor(ChannelKind channel) => channel.IsShortForm() ? 160 : 600;

    /// <summary>The model's text held to the channel's length: 280 characters on WhatsApp/SMS/web, <see cref="EmailMaxChars"/> on e-mail, cut at a sentence.</summary>
    public static string FitToChannel(string text, ChannelKind channel) =>
        ReplyText.FitToLength(text, channel.IsShortForm() ? ReplyText.ShortFormLimit : EmailMaxChars);

    /// <summary>
    /// Streams the model's reply token by token, then a final chunk with the cleaned and length-fitted text. Before the
    /// first token the same fallbacks hold as for <see cref="GenerateAsync"/>; when the model fails mid-stream the final
    /// chunk carries the rules brain's reply, so what was shown live is replaced, never half-sent.
    /// </summary>
    public async IAsyncEnumerable<ReplyChunk> StreamAsync(ReplyRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clientId = request.ClientId ?? "unknown";
        ModelRoute? route = null;
        string? fallbackReason = "vetted template";
        if (!AnswersWithRules(request.Analysis))
        {
            (route, fallbackReason) = await RouteAsync(request, clientId, cancellationToken);
        }

        if (route?.Model is not { } model)
        {
            var text = fallbackReason == "vetted template" ? fallback.GenerateAsync(request, cancellationToken) : FallbackAsync(request, fallbackReason ?? "no model", cancellationToken);
            await foreach (var chunk in ReplyStreaming.WordByWord(text, cancellationToken))
            {
                yield return chunk;
            }

            yield break;
        }

        var messages = BuildMessages(request);
        var chatOptions = ReplyChatOptions(model, request.Channel);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.ReplyDeadline);
        var context = new AiCallContext(clientId, request.LeadId, AiPurpose.Reply);
        var estimatedInput = TokenEstimator.CountPrompt(messages.Select(m => new EstimatedMessage(m.Role.Value, m.Text)));
        var started = Stopwatch.GetTimestamp();
        var stream = new ModelStream(chat.GetStreamingResponseAsync(messages, chatOptions, deadline.Token));
        await foreach (var token in stream.TokensAsync(cancellationToken))
        {
            yield return ReplyChunk.Token(token);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (stream.Failure is { } failure)
        {
            var reason = failure switch
            {
                AiException ai => ai.Failure.ToString(),
                OperationCanceledException => "deadline",
                _ => failure.GetType().Name,
            };
            logger.LogWarning("Streamed model reply failed ({Reason}: {Message}); the rules brain answers", reason, failure.Message);
            if (failure is not AiException { Failure: AiFailure.CircuitOpen })
            {
                await usage.RecordAsync(context, model, null, 0, 0, elapsed, false, CancellationToken.None);
            }

            yield return ReplyChunk.Final(await FallbackAsync(request, reason, cancellationToken));
            yield break;
        }

        await usage.RecordAsync(context, stream.ModelId ?? model, stream.Usage, estimatedInput, TokenEstimator.Count(stream.Text), elapsed, true, CancellationToken.None);
        var reply = Clean(stream.Text);
        if (stream.Refused || reply.Length == 0)
        {
            yield return ReplyChunk.Final(await FallbackAsync(request, stream.Refused ? "model refused" : "empty answer", cancellationToken));
            yield break;
        }

        logger.LogInformation("Streamed reply by {Model} ({Route}) in {Ms} ms", model, route.Reason, (int)elapsed.TotalMilliseconds);
        yield return ReplyChunk.Final(FitToChannel(reply, request.Channel));
    }

    /// <summary>The model for this turn, or null and why the rules brain answers instead (routing failed, budget spent).</summary>
    private async Task<(ModelRoute? Route, string? FallbackReason)> RouteAsync(ReplyRequest request, string clientId, CancellationToken cancellationToken)
    {
        ModelRoute route;
        try
        {
            var budgetLeft = await usage.RemainingBudgetFractionAsync(clientId, cancellationToken);
            route = Route(router, clientId, request, budgetLeft);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Model routing failed; the rules brain answers");
            return (null, "routing failed");
        }

        SalesFlowMetrics.AiRoutes.Add(1, new TagList { { "tier", route.Tier.ToString().ToLowerInvariant() } });
        if (route.Tier == ModelTier.Rules || route.Model is null)
        {
            logger.LogInformation("Client {ClientId} has spent its AI budget; the rules brain answers", clientId);
            return (null, "budget spent");
        }

        return (route, null);
    }

    private async Task<string> FallbackAsync(ReplyRequest request, string reason, CancellationToken ct)
    {
        SalesFlowMetrics.AiFallbacks.Add(1, new TagList { { "reason", reason } });
        return await fallback.GenerateAsync(request, ct);
    }

    /// <summary>The prompt: system (role, stage, language, length, personality, guardrails) and one user message with the context and the lead's words.</summary>
    public static List<ChatMessage> BuildMessages(ReplyRequest request)
    {
        var role = SystemPrompts.RoleFor(request);
        var system = new StringBuilder()
            .AppendLine(SystemPrompts.For(role))
            .AppendLine($"You write for {(string.IsNullOrWhiteSpace(request.ClientName) ? "the business" : request.ClientName)}.")
            .AppendLine($"Current stage — {SystemPrompts.StageGoal(request.State)}")
            .AppendLine($"Reply in {SystemPrompts.LanguageName(request.Analysis.Language)}.")
            .AppendLine(request.Channel.IsShortForm()
                ? $"Channel: {request.Channel.ToWire()}. At most {ReplyText.ShortFormLimit} characters, one or two sentences, no greeting line, no signature, no markdown."
                : "Channel: e-mail. A short e-mail: salutation, two to four short paragraphs, a sign-off with the business's name; plain text, no markdown.");
        if (SystemPrompts.PersonalityHint(request.Insights?.Disc.Primary) is { } hint)
        {
            system.AppendLine(hint);
        }

        system.AppendLine(SystemPrompts.Guardrails.Trim());
        system.Append(PromptFence.DataRule);

        // Everything a lead, an e-mail sender or a document wrote is fenced as data (PromptFence); only our own labels are not.
        var user = new StringBuilder();
        user.AppendLine($"Turn {request.TurnNumber}; stage moved {request.PreviousState.ToWire()} → {request.State.ToWire()}; intent {request.Analysis.Intent.ToWire()}; sentiment {request.Analysis.Sentiment.ToWire()}.");
        user.AppendLine("The lead's name (as they gave it):").AppendLine(PromptFence.Fence("lead_name", request.LeadName ?? "unknown"));
        if (request.Insights?.Facts is { } facts && facts != KeyFacts.None)
        {
            var known = new[]
            {
                ("company", facts.Company), ("role", facts.Role), ("budget", facts.Budget), ("timeline", facts.Timeline),
                ("pain points", facts.PainPoints.Count == 0 ? null : string.Join("; ", facts.PainPoints)),
            }.Where(f => !string.IsNullOrWhiteSpace(f.Item2)).Select(f => $"{f.Item1}: {f.Item2}");
            user.AppendLine("Known facts:").AppendLine(PromptFence.Fence("facts", string.Join(", ", known)));
        }

        if (request.Knowledge is { Count: > 0 } passages)
        {
            user.AppendLine("From our knowledge base (use only if relevant):");
            user.AppendLine(PromptFence.Fence("knowledge", string.Join("\n", passages.Select(p => "- " + p.Trim()))));
        }

        if (request.UnansweredQuestions is { Count: > 0 } unanswered)
        {
            user.AppendLine("Our knowledge base has nothing on these questions of the lead; do not guess, say the team will check them:");
            user.AppendLine(PromptFence.Fence("unanswered", string.Join("\n", unanswered.Select(q => "- " + q.Trim()))));
        }

        if (request.KeyFacts is { Count: > 0 } profileFacts)
        {
            user.AppendLine("What we know about the lead:").AppendLine(PromptFence.Fence("profile", string.Join("; ", profileFacts)));
        }

        if (!string.IsNullOrWhiteSpace(request.Summary))
        {
            user.AppendLine("Summary of the earlier conversation:");
            user.AppendLine(PromptFence.Fence("summary", request.Summary));
        }

        if (request.Recalled is { Count: > 0 } recalled)
        {
            user.AppendLine("Earlier messages that may matter now:");
            user.AppendLine(PromptFence.Fence("history", string.Join("\n", recalled.Select(m => $"{(m.FromLead ? "Lead" : "Us")} ({m.At:yyyy-MM-dd}): {m.Text.Trim()}"))));
        }

        if (request.History is { Count: > 0 } history)
        {
            user.AppendLine("Conversation so far (oldest first):");
            user.AppendLine(PromptFence.Fence("history", string.Join("\n", history.Select(m => $"{(m.FromLead ? "Lead" : "Us")} ({m.Channel.ToWire()}): {m.Text.Trim()}"))));
        }

        user.AppendLine("The lead just wrote:");
        user.Append(PromptFence.Fence("lead_message", request.LeadText));
        return [new ChatMessage(ChatRole.System, system.ToString().Trim()), new ChatMessage(ChatRole.User, user.ToString())];
    }

    /// <summary>Strips what models add around a message: wrapping quotes, a "Reply:" label, surrounding space.</summary>
    public static string Clean(string? text)
    {
        var t = (text ?? string.Empty).Trim();
        foreach (var label in new[] { "Reply:", "Antwort:", "Message:", "Nachricht:" })
        {
            if (t.StartsWith(label, StringComparison.OrdinalIgnoreCase))
            {
                t = t[label.Length..].TrimStart();
            }
        }

        if (t.Length >= 2 && ((t[0] == '"' && t[^1] == '"') || (t[0] == '“' && t[^1] == '”')))
        {
            t = t[1..^1].Trim();
        }

        return t;
    }
}

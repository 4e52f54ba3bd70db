using System.Text.Json;
using Microsoft.Extensions.AI;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;

namespace SalesFlow.RoutingEval;

/// <summary>One pairwise comparison: the small and the large model's reply to the same prompt, judged by the large model.</summary>
/// <param name="SmallIsA">The small reply was shown as A (positions alternate to cancel the judge's position bias).</param>
/// <param name="Outcome">small (the small reply is better), tie, large, invalid (no usable verdict) or error (a call failed).</param>
public sealed record JudgeVerdict(string ConversationId, int TurnIndex, string SmallReply, string LargeReply, bool SmallIsA, string Outcome, string Reason);

public sealed record JudgeReport(
    string SmallModel,
    string LargeModel,
    string JudgeModel,
    IReadOnlyList<JudgeVerdict> Verdicts,
    long InputTokens,
    long OutputTokens,
    decimal Cost)
{
    public int Sampled => Verdicts.Count;

    public int SmallWins => Verdicts.Count(v => v.Outcome == "small");

    public int Ties => Verdicts.Count(v => v.Outcome == "tie");

    public int LargeWins => Verdicts.Count(v => v.Outcome == "large");

    public int Unusable => Verdicts.Count(v => v.Outcome is "invalid" or "error");

    /// <summary>Share of judged pairs where the small reply is at least as good (win or tie).</summary>
    public double AsGoodRate => Sampled - Unusable == 0 ? 0 : (double)(SmallWins + Ties) / (Sampled - Unusable);
}

/// <summary>One turn read by both models with the app's extraction call, and where each reading would route the reply.</summary>
/// <param name="SmallRoutesCheaper">The small model's reading (with the rules reading, as the app routes) sends the reply to a
/// cheaper model than the large model's reading would: the harm a small extractor can do to routing.</param>
public sealed record ExtractionComparison(
    string ConversationId,
    int TurnIndex,
    string SmallIntent,
    string LargeIntent,
    string SmallSentiment,
    string LargeSentiment,
    string? SmallState,
    string? LargeState,
    ModelTier SmallRoute,
    ModelTier LargeRoute,
    bool SmallRoutesCheaper,
    string? Error);

/// <summary>How often the small model's extraction reads a turn as the large model's does.</summary>
public sealed record ExtractionReport(IReadOnlyList<ExtractionComparison> Turns, long InputTokens, long OutputTokens, decimal Cost)
{
    public int Compared => Turns.Count(t => t.Error is null);

    public int Failed => Turns.Count - Compared;

    public int IntentAgrees => Turns.Count(t => t.Error is null && t.SmallIntent == t.LargeIntent);

    public int SentimentAgrees => Turns.Count(t => t.Error is null && t.SmallSentiment == t.LargeSentiment);

    public int StateAgrees => Turns.Count(t => t.Error is null && t.SmallState == t.LargeState);

    public int RouteAgrees => Turns.Count(t => t.Error is null && t.SmallRoute == t.LargeRoute);

    public int SmallRoutesCheaper => Turns.Count(t => t.Error is null && t.SmallRoutesCheaper);
}

/// <summary>
/// The online half of the quality check: for a sample of routine turns the router sends to the small model, both
/// models write the reply from the very prompt the app would send (LlmReplyGenerator.BuildMessages and its call
/// options, cleaned and fitted to the channel as the app does), and the large model judges the pair blind, A/B
/// positions alternating, with a JSON verdict. Needs a configured model (AI__Provider, AI__ApiKey / AI__Endpoint).
/// </summary>
public sealed class RoutingJudge(IChatClient chat, AiOptions options)
{
    public const string JudgeSystemPrompt = """
        You judge replies written by a sales assistant for a business. You get the instructions the assistant had, the
        context with the lead's latest message, and two candidate replies, A and B, in random order. Decide which reply
        better serves the lead and the business: it follows the instructions (stage goal, language, length, channel), it
        invents no prices, discounts, dates or product facts that are not in the context, it answers what the lead asked,
        it reads naturally and moves the conversation one step forward. Longer or more polished is not better by itself.
        If both are about equally good, answer "tie". Return JSON only: {"winner": "A" | "B" | "tie", "reason": "one sentence"}.
        """;

    /// <summary>Routine turns (not high-stakes) the router sent to the small model, evenly spread over the set.</summary>
    public static IReadOnlyList<EvaluatedTurn> Sample(IReadOnlyList<EvaluatedTurn> turns, int size)
    {
        var routine = turns.Where(t => t.Handler == TurnHandler.Small && !t.IsHighStakes && t.Prompt is not null).ToList();
        if (size <= 0 || routine.Count == 0)
        {
            return [];
        }

        if (size >= routine.Count)
        {
            return routine;
        }

        return Enumerable.Range(0, size).Select(k => routine[(int)((long)k * routine.Count / size)]).ToList();
    }

    public async Task<JudgeReport> RunAsync(IReadOnlyList<EvaluatedTurn> sample, CancellationToken ct)
    {
        var verdicts = new List<JudgeVerdict>();
        long input = 0, output = 0;
        var cost = 0m;
        string? judgeModel = null;
        for (var i = 0; i < sample.Count; i++)
        {
            var turn = sample[i];
            var small = options.SmallChatModelFor(turn.ClientId);
            var large = options.ChatModelFor(turn.ClientId);
            judgeModel = large;
            var smallIsA = i % 2 == 0;
            try
            {
                var smallReply = await ReplyAsync(turn, small, ct);
                var largeReply = await ReplyAsync(turn, large, ct);
                var (a, b) = smallIsA ? (smallReply, largeReply) : (largeReply, smallReply);
                List<ChatMessage> judge =
                [
                    new(ChatRole.System, JudgeSystemPrompt),
                    new(ChatRole.User, $"## Instructions the assistant had\n{turn.Prompt![0].Text}\n\n## Context and the lead's message\n{turn.Prompt[1].Text}\n\n## Reply A\n{a}\n\n## Reply B\n{b}"),
                ];
                var response = await chat.GetResponseAsync(judge, new ChatOptions { ModelId = large, Temperature = 0, MaxOutputTokens = 200, ResponseFormat = ChatResponseFormat.Json }, ct);
                Account(response, large, judge);
                var (winner, reason) = Parse(response.Text);
                var outcome = winner switch
                {
                    "tie" => "tie",
                    "A" => smallIsA ? "small" : "large",
                    "B" => smallIsA ? "large" : "small",
                    _ => "invalid",
                };
                verdicts.Add(new JudgeVerdict(turn.ConversationId, turn.TurnIndex, smallReply, largeReply, smallIsA, outcome, reason));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                verdicts.Add(new JudgeVerdict(turn.ConversationId, turn.TurnIndex, string.Empty, string.Empty, smallIsA, "error", e.Message));
                if (e is AiException { Failure: AiFailure.Unauthorized or AiFailure.BadRequest })
                {
                    break; // the configuration is wrong: every further call would fail the same way
                }
            }
        }

        return new JudgeReport(
            sample.Count == 0 ? options.SmallChatModel : options.SmallChatModelFor(sample[0].ClientId),
            sample.Count == 0 ? options.ChatModel : options.ChatModelFor(sample[0].ClientId),
            judgeModel ?? options.ChatModel,
            verdicts,
            input,
            output,
            cost);

        async Task<string> ReplyAsync(EvaluatedTurn turn, string model, CancellationToken token)
        {
            var response = await chat.GetResponseAsync(turn.Prompt!, LlmReplyGenerator.ReplyChatOptions(model, turn.Channel), token);
            Account(response, model, turn.Prompt!);
            return LlmReplyGenerator.FitToChannel(LlmReplyGenerator.Clean(response.Text), turn.Channel);
        }

        void Account(ChatResponse response, string model, IEnumerable<ChatMessage> prompt)
        {
            var inTokens = response.Usage?.InputTokenCount ?? TokenEstimator.CountPrompt(prompt.Select(m => new EstimatedMessage(m.Role.Value, m.Text)));
            var outTokens = response.Usage?.OutputTokenCount ?? TokenEstimator.Count(response.Text);
            input += inTokens;
            output += outTokens;
            cost += options.CostOf(response.ModelId ?? model, inTokens, outTokens);
        }
    }

    /// <summary>Turns of every kind (the extraction runs on every turn), evenly spread over the set.</summary>
    public static IReadOnlyList<EvaluatedTurn> SampleForExtraction(IReadOnlyList<EvaluatedTurn> turns, int size) =>
        size <= 0 || turns.Count == 0 ? []
        : size >= turns.Count ? turns
        : Enumerable.Range(0, size).Select(k => turns[(int)((long)k * turns.Count / size)]).ToList();

    /// <summary>
    /// The check of the extraction's model: both models read each sampled turn with the app's extraction call
    /// (LlmInsightsExtractor's prompt, options and schema, parsed by LlmInsightsExtractor.Parse), and each reading is routed
    /// as the app routes it (LlmReplyGenerator.Route: the harder of that reading and the rules reading).
    /// </summary>
    public async Task<ExtractionReport> CompareExtractionAsync(IReadOnlyList<EvaluatedTurn> sample, CancellationToken ct)
    {
        var router = new ModelRouter(Microsoft.Extensions.Options.Options.Create(options));
        var compared = new List<ExtractionComparison>();
        long input = 0, output = 0;
        var cost = 0m;
        foreach (var turn in sample)
        {
            try
            {
                var small = await ReadAsync(turn, options.SmallChatModelFor(turn.ClientId), ct);
                var large = await ReadAsync(turn, options.ChatModelFor(turn.ClientId), ct);
                var smallRoute = RouteOf(turn, small).Tier;
                var largeRoute = RouteOf(turn, large).Tier;
                compared.Add(new ExtractionComparison(
                    turn.ConversationId, turn.TurnIndex,
                    small.Analysis.Intent.ToWire(), large.Analysis.Intent.ToWire(),
                    small.Analysis.Sentiment.ToWire(), large.Analysis.Sentiment.ToWire(),
                    small.SuggestedState?.ToWire(), large.SuggestedState?.ToWire(),
                    smallRoute, largeRoute, smallRoute < largeRoute, null));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                compared.Add(new ExtractionComparison(turn.ConversationId, turn.TurnIndex, "", "", "", "", null, null, ModelTier.Rules, ModelTier.Rules, false, e.Message));
                if (e is AiException { Failure: AiFailure.Unauthorized or AiFailure.BadRequest })
                {
                    break;
                }
            }
        }

        return new ExtractionReport(compared, input, output, cost);

        async Task<LeadInsights> ReadAsync(EvaluatedTurn turn, string model, CancellationToken token)
        {
            var prompt = LlmInsightsExtractor.BuildMessages(turn.Gold.Text, turn.From);
            var response = await chat.GetResponseAsync(prompt, LlmInsightsExtractor.ExtractionOptions(model), token);
            var inTokens = response.Usage?.InputTokenCount ?? TokenEstimator.CountPrompt(prompt.Select(m => new EstimatedMessage(m.Role.Value, m.Text)));
            var outTokens = response.Usage?.OutputTokenCount ?? TokenEstimator.Count(response.Text);
            input += inTokens;
            output += outTokens;
            cost += options.CostOf(response.ModelId ?? model, inTokens, outTokens);
            return LlmInsightsExtractor.Parse(response.Text, turn.Analysis, turn.Gold.Text);
        }

        ModelRoute RouteOf(EvaluatedTurn turn, LeadInsights reading)
        {
            var request = new ReplyRequest(
                turn.To, turn.From, reading.Analysis, null, turn.Channel, turn.Gold.Text, turn.TurnIndex + 1, turn.ClientId,
                ClientId: turn.ClientId, Insights: reading, DealValue: turn.DealValue);
            return LlmReplyGenerator.Route(router, turn.ClientId, request, null);
        }
    }

    /// <summary>Reads {"winner": "A"|"B"|"tie", "reason": "…"}; ("invalid", why) when the answer is not that.</summary>
    public static (string Winner, string Reason) Parse(string? json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json ?? string.Empty);
            var root = doc.RootElement;
            var winner = root.TryGetProperty("winner", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString()?.Trim() : null;
            var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? string.Empty : string.Empty;
            return winner?.ToUpperInvariant() switch
            {
                "A" => ("A", reason),
                "B" => ("B", reason),
                "TIE" => ("tie", reason),
                _ => ("invalid", $"unexpected winner '{winner}'"),
            };
        }
        catch (JsonException)
        {
            return ("invalid", "not JSON");
        }
    }
}

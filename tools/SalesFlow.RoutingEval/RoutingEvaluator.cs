using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;

namespace SalesFlow.RoutingEval;

/// <summary>Who answered a replayed turn.</summary>
public enum TurnHandler
{
    /// <summary>The small model (routed).</summary>
    Small,

    /// <summary>The large model (routed).</summary>
    Large,

    /// <summary>The rules brain's vetted template (opt-out confirmation, hand-over, strongly negative): no model call.</summary>
    Rules,

    /// <summary>No reply at all: the lead has opted out or a human has taken over (as ConversationEngine does).</summary>
    Silent,
}

/// <summary>Knobs of the replay that are not app settings.</summary>
/// <param name="HistoryWindow">Earlier messages put into the prompt (the memory layer's hot window, Memory:HotWindow's default 20); 0 = none.</param>
/// <param name="ShortFormOutputTokens">Expected completion tokens on WhatsApp/SMS/web: a reply of up to 280 characters is about 70 tokens (≈ 4 characters per token).</param>
/// <param name="EmailOutputTokens">Expected completion tokens on e-mail: the prompt asks for two to four short paragraphs (≈ 1,000 characters of the 1,500 allowed).</param>
/// <param name="CountExtractionSchema">Count the extraction call's JSON schema, as JSON text, as prompt input. OpenAI puts a response_format
/// schema into the prompt in its own, more compact form, so the truth lies between off (the default: the lower bound of the saving)
/// and on (the upper bound).</param>
/// <param name="ExtractionOutputScale">Multiplies the extraction answer's tokens (the answer is priced as the JSON of what the rules read; a model adds evidence).</param>
public sealed record EvaluationSettings(
    int HistoryWindow = 20,
    int ShortFormOutputTokens = 75,
    int EmailOutputTokens = 250,
    RubricScope Scope = RubricScope.Stage,
    bool CountExtractionSchema = false,
    double ExtractionOutputScale = 1.0)
{
    public int OutputTokensFor(ChannelKind channel) => channel.IsShortForm() ? ShortFormOutputTokens : EmailOutputTokens;
}

/// <summary>One replayed lead turn: what the pipeline read, where it routed, what it costs under each strategy.</summary>
public sealed record EvaluatedTurn(
    string ConversationId,
    int TurnIndex,
    string Language,
    ChannelKind Channel,
    string ClientId,
    decimal? DealValue,
    RoutingTurn Gold,
    MessageAnalysis Analysis,
    ConversationState From,
    ConversationState To,
    HighStakes Stakes,
    HighStakes PipelineStakes,
    TurnHandler Handler,
    ModelRoute? Route,
    IReadOnlyList<ChatMessage>? Prompt,
    int InputTokens,
    int OutputTokens,
    decimal RoutedCost,
    decimal AlwaysLargeCost,
    decimal AlwaysSmallCost,
    TurnExtraction Extraction,
    decimal EmbeddingCost)
{
    public bool IsHighStakes => Stakes != HighStakes.None;

    /// <summary>What the turn costs as the app runs it: the routed reply, the extraction on the small model, the knowledge query embedding.</summary>
    public decimal TurnRoutedCost => RoutedCost + Extraction.SmallCost + EmbeddingCost;

    /// <summary>The same turn with every call on the large model.</summary>
    public decimal TurnAlwaysLargeCost => AlwaysLargeCost + Extraction.LargeCost + EmbeddingCost;

    public decimal TurnAlwaysSmallCost => AlwaysSmallCost + Extraction.SmallCost + EmbeddingCost;

    public bool UsesModel => Handler is TurnHandler.Small or TurnHandler.Large;
}

/// <summary>The turn's extraction call (LlmInsightsExtractor): it runs on every turn, the small model's in the app.</summary>
public sealed record TurnExtraction(int InputTokens, int OutputTokens, decimal SmallCost, decimal LargeCost)
{
    public static TurnExtraction None { get; } = new(0, 0, 0m, 0m);
}

/// <summary>
/// Replays every lead turn through the pieces the app uses for a reply, without calling a model: the rules analyser
/// (intent, sentiment, language: what ConversationEngine gets with AI:Provider = none; with a model configured the
/// LLM analyser reads them instead), the escalation and opt-out handling of ConversationEngine, SalesStateMachine,
/// LlmReplyGenerator's rules bypass and route input, <see cref="ModelRouter"/> with the given AiOptions (the app's
/// defaults unless configured), LlmReplyGenerator.BuildMessages for the prompt, TokenEstimator for its input tokens
/// and a fixed expected output per channel, priced with AiOptions.CostOf. Each model turn is priced three ways: as
/// routed, always-large and always-small; turns the rules brain answers or that stay silent cost nothing in all three.
/// Our earlier replies in the history are the rules brain's replies, standing in for the model's (similar length).
/// Besides the reply, the app makes one more model call on every turn, silent and template turns included: the
/// structured extraction (LlmInsightsExtractor, always the small model), priced here with its real prompt, the JSON
/// schema it sends and the JSON of what the rules read as its answer; and every reply looks the knowledge base up with
/// one query embedding (the same in every strategy).
/// </summary>
public sealed class RoutingEvaluator(AiOptions options, EvaluationSettings? settings = null)
{
    private readonly ModelRouter _router = new(Options.Create(options));

    public EvaluationSettings Settings { get; } = settings ?? new EvaluationSettings();

    public AiOptions AiOptions => options;

    /// <summary>USD for one call: (input × input price + output × output price) / 1,000,000; 0 for an unpriced model.</summary>
    public static decimal Cost(AiOptions options, string model, long inputTokens, long outputTokens) => options.CostOf(model, inputTokens, outputTokens);

    public RoutingEvaluation Evaluate(IReadOnlyList<RoutingConversation> conversations)
    {
        var turns = new List<EvaluatedTurn>();
        foreach (var conversation in conversations)
        {
            turns.AddRange(Replay(conversation));
        }

        return new RoutingEvaluation(conversations.Count, turns, RoutingSummary.From(turns), options, Settings);
    }

    public IEnumerable<EvaluatedTurn> Replay(RoutingConversation conversation)
    {
        var channel = conversation.ChannelKind;
        var clientId = conversation.Client;
        var state = ConversationState.InitialContact;
        var escalated = false;
        var optedOut = false;
        var history = new List<HistoryMessage>();
        var at = new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < conversation.Turns.Count; i++)
        {
            var gold = conversation.Turns[i];
            var analysis = RulesInsightsExtractor.Analyze(gold.Text);

            // LeadTurnUpdater.ApplyAsync / ReplyWriter.PurposeOf, in the same order.
            var wasEscalated = escalated;
            var said = new Message { Id = $"{conversation.Id}-{i}", ClientId = clientId, LeadId = conversation.Id, ConversationId = conversation.Id, Channel = channel, Text = gold.Text };
            var consent = LeadTurnUpdater.DecideConsent(optedOut, [said], analysis.Intent == Intent.OptOut);
            optedOut = consent.OptedOut;
            if (consent.Change == ConsentChange.OptedOut)
            {
                analysis = analysis with { Intent = Intent.OptOut };
            }

            if (!escalated && LeadTurnUpdater.IsEscalationTurn(analysis, gold.Text) && analysis.Intent != Intent.OptOut && !optedOut)
            {
                escalated = true;
            }

            var (next, _) = SalesStateMachine.Next(state, analysis);
            var stakes = HighStakesRubric.Classify(gold, analysis, state, next, conversation.DealValue, options, Settings.Scope);
            var pipelineStakes = HighStakesRubric.Classify(HighStakesRubric.AsRead(gold.Text, analysis), analysis, state, next, conversation.DealValue, options, Settings.Scope);
            var silent = consent.Change == ConsentChange.None && (optedOut || wasEscalated);
            var handover = !silent && consent.Change == ConsentChange.None && escalated;
            var replyAnalysis = handover ? analysis with { Intent = Intent.Human } : analysis;
            var request = new ReplyRequest(
                next,
                state,
                replyAnalysis,
                conversation.LeadName,
                channel,
                gold.Text,
                i + 1,
                conversation.Client,
                ClientId: clientId,
                LeadId: conversation.Id,
                History: Settings.HistoryWindow > 0 ? history.TakeLast(Settings.HistoryWindow).ToList() : null,
                DealValue: conversation.DealValue);

            var extraction = Extraction(gold.Text, analysis, state, next, clientId);
            var embedding = silent ? 0m : Cost(options, options.EmbeddingModel, TokenEstimator.Count(gold.Text), 0);
            EvaluatedTurn turn;
            if (silent)
            {
                turn = Unpriced(TurnHandler.Silent);
            }
            else if (LlmReplyGenerator.AnswersWithRules(replyAnalysis))
            {
                turn = Unpriced(TurnHandler.Rules);
            }
            else
            {
                var route = _router.Route(clientId, LlmReplyGenerator.RouteInputFor(request, remainingBudgetFraction: null));
                var prompt = LlmReplyGenerator.BuildMessages(request);
                var input = TokenEstimator.CountPrompt(prompt.Select(m => new EstimatedMessage(m.Role.Value, m.Text)));
                var output = Settings.OutputTokensFor(channel);
                var large = options.ChatModelFor(clientId);
                var small = options.SmallChatModelFor(clientId);
                turn = new EvaluatedTurn(
                    conversation.Id, i, conversation.Language, channel, clientId, conversation.DealValue, gold, analysis, state, next, stakes, pipelineStakes,
                    route.Tier == ModelTier.Large ? TurnHandler.Large : TurnHandler.Small,
                    route,
                    prompt,
                    input,
                    output,
                    Cost(options, route.Model ?? small, input, output),
                    Cost(options, large, input, output),
                    Cost(options, small, input, output),
                    extraction,
                    embedding);
            }

            yield return turn;

            history.Add(new HistoryMessage(true, gold.Text, channel, at));
            at = at.AddMinutes(7);
            if (turn.Handler != TurnHandler.Silent)
            {
                history.Add(new HistoryMessage(false, RulesReplyGenerator.Generate(request), channel, at));
                at = at.AddMinutes(1);
            }

            state = next;

            EvaluatedTurn Unpriced(TurnHandler handler) => new(
                conversation.Id, i, conversation.Language, channel, clientId, conversation.DealValue, gold, analysis, state, next, stakes, pipelineStakes, handler, null, null, 0, 0, 0m, 0m, 0m, extraction, embedding);
        }
    }

    /// <summary>The extraction call of a turn: LlmInsightsExtractor's prompt and schema in, the JSON of what the rules read out.</summary>
    private TurnExtraction Extraction(string text, MessageAnalysis analysis, ConversationState state, ConversationState next, string clientId)
    {
        var prompt = LlmInsightsExtractor.BuildMessages(text, state);
        var input = TokenEstimator.CountPrompt(prompt.Select(m => new EstimatedMessage(m.Role.Value, m.Text)))
            + (Settings.CountExtractionSchema ? SchemaTokens : 0);
        var read = RulesInsightsExtractor.Extract(analysis, text);
        var answer = next == state ? read : read with { SuggestedState = next, SuggestedStateConfidence = 0.8 };
        var output = (int)Math.Round(TokenEstimator.Count(LlmInsightsExtractor.ToJson(answer)) * Settings.ExtractionOutputScale);
        return new TurnExtraction(
            input,
            output,
            Cost(options, options.SmallChatModelFor(clientId), input, output),
            Cost(options, options.ChatModelFor(clientId), input, output));
    }

    /// <summary>The response_format the extraction sends: name, description, strict flag and the schema itself.</summary>
    private static readonly int SchemaTokens = TokenEstimator.Count(
        JsonSerializer.Serialize(new { type = "json_schema", json_schema = new { name = LlmInsightsExtractor.SchemaName, description = LlmInsightsExtractor.SchemaDescription, schema = LlmInsightsExtractor.Schema, strict = true } }));
}

public sealed record RoutingEvaluation(int Conversations, IReadOnlyList<EvaluatedTurn> Turns, RoutingSummary Summary, AiOptions Options, EvaluationSettings Settings);

/// <summary>The figures of a replay: cost per strategy, model shares, and the quality guard.</summary>
public sealed record RoutingSummary(
    int Turns,
    int SmallTurns,
    int LargeTurns,
    int RulesTurns,
    int SilentTurns,
    long SmallInputTokens,
    long SmallOutputTokens,
    long LargeInputTokens,
    long LargeOutputTokens,
    decimal RoutedCost,
    decimal AlwaysLargeCost,
    decimal AlwaysSmallCost,
    int HighStakesTurns,
    int HighStakesLarge,
    int HighStakesSmall,
    int HighStakesRules,
    int HighStakesSilent,
    int HighStakesGoldOnly,
    int GoldIntentAgreement,
    int PipelineHighStakesLarge,
    int PipelineHighStakesSmall,
    decimal OracleCost,
    IReadOnlyList<EvaluatedTurn> GuardMisses,
    WholeTurnCost Turn)
{
    /// <summary>The best any router can do under the rubric: large on exactly the high-stakes model turns, small elsewhere.</summary>
    public double OracleSavingsVsLarge => AlwaysLargeCost == 0 ? 0 : (double)(1m - (OracleCost / AlwaysLargeCost));

    public int ModelTurns => SmallTurns + LargeTurns;

    /// <summary>1 − routed / always-large.</summary>
    public double SavingsVsLarge => AlwaysLargeCost == 0 ? 0 : (double)(1m - (RoutedCost / AlwaysLargeCost));

    /// <summary>Routed / always-small − 1: what routing costs on top of the cheapest strategy.</summary>
    public double PremiumVsSmall => AlwaysSmallCost == 0 ? 0 : (double)((RoutedCost / AlwaysSmallCost) - 1m);

    public double LargeShare => ModelTurns == 0 ? 0 : (double)LargeTurns / ModelTurns;

    /// <summary>High-stakes turns a model answers that go to the large model (target 1).</summary>
    public double GuardRecall => HighStakesLarge + HighStakesSmall == 0 ? 1 : (double)HighStakesLarge / (HighStakesLarge + HighStakesSmall);

    /// <summary>Small-model turns that are high-stakes (target 0).</summary>
    public double SmallHighStakesShare => SmallTurns == 0 ? 0 : (double)HighStakesSmall / SmallTurns;

    /// <summary>The guard on what the pipeline itself read (no gold labels): the router's own recall.</summary>
    public double PipelineGuardRecall => PipelineHighStakesLarge + PipelineHighStakesSmall == 0 ? 1 : (double)PipelineHighStakesLarge / (PipelineHighStakesLarge + PipelineHighStakesSmall);

    public double GoldIntentAccuracy => Turns == 0 ? 0 : (double)GoldIntentAgreement / Turns;

    public static RoutingSummary From(IReadOnlyList<EvaluatedTurn> turns)
    {
        var small = turns.Where(t => t.Handler == TurnHandler.Small).ToList();
        var large = turns.Where(t => t.Handler == TurnHandler.Large).ToList();
        var high = turns.Where(t => t.IsHighStakes).ToList();
        return new RoutingSummary(
            turns.Count,
            small.Count,
            large.Count,
            turns.Count(t => t.Handler == TurnHandler.Rules),
            turns.Count(t => t.Handler == TurnHandler.Silent),
            small.Sum(t => (long)t.InputTokens),
            small.Sum(t => (long)t.OutputTokens),
            large.Sum(t => (long)t.InputTokens),
            large.Sum(t => (long)t.OutputTokens),
            turns.Sum(t => t.RoutedCost),
            turns.Sum(t => t.AlwaysLargeCost),
            turns.Sum(t => t.AlwaysSmallCost),
            high.Count,
            high.Count(t => t.Handler == TurnHandler.Large),
            high.Count(t => t.Handler == TurnHandler.Small),
            high.Count(t => t.Handler == TurnHandler.Rules),
            high.Count(t => t.Handler == TurnHandler.Silent),
            high.Count(t => HighStakesRubric.GoldOnly(t.Gold, t.Analysis)),
            turns.Count(t => t.Analysis.Intent.ToWire() == t.Gold.Intent),
            turns.Count(t => t.PipelineStakes != HighStakes.None && t.Handler == TurnHandler.Large),
            turns.Count(t => t.PipelineStakes != HighStakes.None && t.Handler == TurnHandler.Small),
            turns.Sum(t => t.IsHighStakes ? t.AlwaysLargeCost : t.AlwaysSmallCost),
            high.Where(t => t.Handler == TurnHandler.Small).ToList(),
            WholeTurnCost.From(turns));
    }
}

/// <summary>
/// What the turns cost as the app runs them: the reply (routed / large / small), plus the extraction call of every turn
/// (small when routed, large in always-large) and the knowledge query embeddings (the same in every strategy).
/// </summary>
public sealed record WholeTurnCost(
    decimal ExtractionSmallCost,
    decimal ExtractionLargeCost,
    long ExtractionInputTokens,
    long ExtractionOutputTokens,
    decimal EmbeddingCost,
    decimal RoutedCost,
    decimal AlwaysLargeCost,
    decimal AlwaysSmallCost,
    decimal OracleCost)
{
    /// <summary>1 − routed / always-large, whole turns.</summary>
    public double SavingsVsLarge => AlwaysLargeCost == 0 ? 0 : (double)(1m - (RoutedCost / AlwaysLargeCost));

    public double OracleSavingsVsLarge => AlwaysLargeCost == 0 ? 0 : (double)(1m - (OracleCost / AlwaysLargeCost));

    public double AlwaysSmallSavingsVsLarge => AlwaysLargeCost == 0 ? 0 : (double)(1m - (AlwaysSmallCost / AlwaysLargeCost));

    /// <summary>Every reply on the large model, the extraction on the small one: what the saving is without ModelRouter.</summary>
    public decimal RepliesLargeCost => AlwaysLargeCost - ExtractionLargeCost + ExtractionSmallCost;

    public double RepliesLargeSavingsVsLarge => AlwaysLargeCost == 0 ? 0 : (double)(1m - (RepliesLargeCost / AlwaysLargeCost));

    public static WholeTurnCost From(IReadOnlyList<EvaluatedTurn> turns) => new(
        turns.Sum(t => t.Extraction.SmallCost),
        turns.Sum(t => t.Extraction.LargeCost),
        turns.Sum(t => (long)t.Extraction.InputTokens),
        turns.Sum(t => (long)t.Extraction.OutputTokens),
        turns.Sum(t => t.EmbeddingCost),
        turns.Sum(t => t.TurnRoutedCost),
        turns.Sum(t => t.TurnAlwaysLargeCost),
        turns.Sum(t => t.TurnAlwaysSmallCost),
        turns.Sum(t => (t.IsHighStakes ? t.AlwaysLargeCost : t.AlwaysSmallCost) + t.Extraction.SmallCost + t.EmbeddingCost));
}

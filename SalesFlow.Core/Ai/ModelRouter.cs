using Microsoft.Extensions.Options;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Ai;

/// <summary>Which brain answers a turn.</summary>
public enum ModelTier
{
    /// <summary>No model: the client's monthly budget is spent, the rules brain answers.</summary>
    Rules,
    Small,
    Large,
}

/// <summary>What the router looks at.</summary>
/// <param name="MessageLength">Characters the lead wrote this turn.</param>
/// <param name="OpenObjection">An objection is on the table (this turn or unresolved from earlier).</param>
/// <param name="RemainingBudgetFraction">0 … 1 of the client's monthly budget left; null when it has none.</param>
/// <param name="IntentConfidence">0 … 1, how sure the analyser is of <paramref name="Intent"/> (the rules analyser says 0.3 when no rule matched).</param>
public sealed record RouteInput(
    ConversationState State,
    Intent Intent,
    double SentimentScore,
    int MessageLength,
    bool OpenObjection,
    decimal? DealValue,
    double? RemainingBudgetFraction,
    double IntentConfidence = 1.0);

/// <param name="Score">The complexity score (higher = harder).</param>
/// <param name="Reason">Why, for logs and metrics ("objection_handling+3 objection+3 → large").</param>
public sealed record ModelRoute(ModelTier Tier, string? Model, int Score, string Reason);

/// <summary>
/// Picks the small model for routine turns and the large one for hard ones, by complexity points. From AI:LargeModelScore
/// (3) the large model answers, so every signal worth 3 sends a turn to the large model on its own:
/// <list type="bullet">
/// <item>stage: objection handling and closing +3, price negotiation +2, value proposition +1;</item>
/// <item>an objection (this turn or still open) +3; any negative sentiment (score below 0) +3;</item>
/// <item>the lead says yes (purchase intent) +3;</item>
/// <item>a message of a sentence or more (≥ 40 characters) the analyser could not read (intent other, confidence ≤ 0.3) +3;</item>
/// <item>a long message +1 (over 150 characters) or +2 (over 400); a large deal (≥ AI:LargeDealValue) +1.</item>
/// </list>
/// So a large deal's routine turns (greeting, a product question, scheduling) stay small, while its price talk (+2 +1),
/// objections, negative turns and closing go large. Budget: with less than 20 % of the month's budget left only a score
/// above twice the threshold (several hard signals at once) earns the large model; with none left the rules brain answers.
/// Tuned on the replayed conversation set of tools/SalesFlow.RoutingEval (docs/benchmarks.md, "Model routing and cost"):
/// every weight of 3 is a signal its quality guard calls high-stakes, and the rest cannot reach the large model alone.
/// </summary>
public sealed class ModelRouter(IOptions<AiOptions> options)
{
    public const double LowBudgetFraction = 0.2;

    /// <summary>The rules analyser's confidence when no rule matched (its fallback "other").</summary>
    public const double UnreadConfidence = 0.3;

    /// <summary>From this length an unread message is a sentence that may hide an objection or a complaint.</summary>
    public const int UnreadMinLength = 40;

    public ModelRoute Route(string? clientId, RouteInput input)
    {
        var o = options.Value;
        var score = 0;
        var reasons = new List<string>();
        void Add(int points, string why)
        {
            if (points > 0)
            {
                score += points;
                reasons.Add($"{why}+{points}");
            }
        }

        Add(input.State switch
        {
            ConversationState.ObjectionHandling or ConversationState.ClosingAttempt => 3,
            ConversationState.PriceNegotiation => 2,
            ConversationState.ValueProposition => 1,
            _ => 0,
        }, input.State.ToWire());

        // Was +2: an objection raised early (the state machine keeps it in interest_qualification) then reached only the
        // small model. An objection is the turn a weak answer loses the lead, wherever it comes.
        Add(input.OpenObjection || input.Intent == Intent.Objection ? 3 : 0, "objection");

        // Was +2 from -0.2 and +3 from -0.6: mildly negative turns (a complaint, a frustrated follow-up) reached the small
        // model. Any negative reading now goes large; strongly negative turns get the rules brain's vetted template anyway.
        Add(input.SentimentScore < 0 ? 3 : 0, "negative");

        // New: the "yes" turn (order, sign-up) moves closing_attempt → post_purchase, whose stage scores 0; it must not be
        // confirmed by the small model.
        Add(input.Intent == Intent.Purchase ? 3 : 0, "purchase");

        // New: a full sentence the analyser could not classify. On the replay set most such turns were objections or
        // complaints the rules analyser has no phrase for; a short "ok thanks" stays small.
        Add(input.Intent == Intent.Other && input.IntentConfidence <= UnreadConfidence && input.MessageLength >= UnreadMinLength ? 3 : 0, "unread");

        Add(input.MessageLength > 400 ? 2 : input.MessageLength > 150 ? 1 : 0, "long");

        // Was +3 (≥ AI:LargeDealValue) / +1 (≥ a tenth): every turn of a large deal, greetings and scheduling included, went
        // large, over half the replay set's cost. A large deal now adds 1: with price negotiation (+2) it reaches the large
        // model, on routine turns it does not. Mid-size deals no longer add anything.
        Add(input.DealValue is { } value && o.LargeDealValue > 0 && value >= o.LargeDealValue ? 1 : 0, "deal");

        var threshold = Math.Max(1, o.LargeModelScore);
        var why = reasons.Count == 0 ? "routine" : string.Join(' ', reasons);
        if (input.RemainingBudgetFraction is { } left)
        {
            if (left <= 0)
            {
                return new ModelRoute(ModelTier.Rules, null, score, why + " budget spent → rules");
            }

            if (left < LowBudgetFraction)
            {
                // Above twice the threshold: one hard signal with its stage (objection handling + objection = 6) is not enough.
                threshold = (threshold * 2) + 1;
                why += " budget low";
            }
        }

        return score >= threshold
            ? new ModelRoute(ModelTier.Large, o.ChatModelFor(clientId), score, why + " → large")
            : new ModelRoute(ModelTier.Small, o.SmallChatModelFor(clientId), score, why + " → small");
    }
}

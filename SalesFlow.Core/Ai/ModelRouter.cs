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
public sealed record RouteInput(
    ConversationState State,
    Intent Intent,
    double SentimentScore,
    int MessageLength,
    bool OpenObjection,
    decimal? DealValue,
    double? RemainingBudgetFraction);

/// <param name="Score">The complexity score (higher = harder).</param>
/// <param name="Reason">Why, for logs and metrics ("objection_handling+3 objection+2 → large").</param>
public sealed record ModelRoute(ModelTier Tier, string? Model, int Score, string Reason);

/// <summary>
/// Picks the small model for routine turns and the large one for hard ones. Complexity points:
/// state (objection handling and closing +3, price negotiation +2, value proposition +1), an open objection +2,
/// negative sentiment +2 (strongly negative +3), a long message +1 (over 150 characters) or +2 (over 400), a large deal
/// +3 (≥ AI:LargeDealValue) or +1 (≥ a tenth of it). From AI:LargeModelScore (3) the large model answers. Budget: with
/// less than 20 % of the month's budget left only a score of at least twice the threshold earns the large model;
/// with none left the rules brain answers.
/// </summary>
public sealed class ModelRouter(IOptions<AiOptions> options)
{
    public const double LowBudgetFraction = 0.2;

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
        Add(input.OpenObjection || input.Intent == Intent.Objection ? 2 : 0, "objection");
        Add(input.SentimentScore <= -0.6 ? 3 : input.SentimentScore <= -0.2 ? 2 : 0, "negative");
        Add(input.MessageLength > 400 ? 2 : input.MessageLength > 150 ? 1 : 0, "long");
        Add(input.DealValue is { } value && o.LargeDealValue > 0 ? (value >= o.LargeDealValue ? 3 : value >= o.LargeDealValue / 10 ? 1 : 0) : 0, "deal");

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
                threshold *= 2;
                why += " budget low";
            }
        }

        return score >= threshold
            ? new ModelRoute(ModelTier.Large, o.ChatModelFor(clientId), score, why + " → large")
            : new ModelRoute(ModelTier.Small, o.SmallChatModelFor(clientId), score, why + " → small");
    }
}

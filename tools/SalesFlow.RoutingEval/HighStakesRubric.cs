using SalesFlow.Core.Ai;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Conversations;

namespace SalesFlow.RoutingEval;

/// <summary>Why a turn is high-stakes (a reply by a weaker model could cost the deal or the relationship).</summary>
[Flags]
public enum HighStakes
{
    None = 0,

    /// <summary>The lead raises or keeps an objection.</summary>
    Objection = 1,

    /// <summary>Strongly negative: angry, insulting, threatening.</summary>
    StronglyNegative = 2,

    /// <summary>Frustrated or complaining (not yet angry), or asking for a human: the relationship is at risk.</summary>
    EscalationRisk = 4,

    /// <summary>Talking price on a deal at or above AI:LargeDealValue.</summary>
    BigDealPrice = 8,

    /// <summary>The lead is ready to buy or the conversation is in the closing stage.</summary>
    Closing = 16,
}

/// <summary>How far the stage-based signals reach.</summary>
public enum RubricScope
{
    /// <summary>Every turn while the conversation is in price_negotiation (big deal) or closing_attempt counts.</summary>
    Stage,

    /// <summary>Only the turn that talks price or commits, or that moves the conversation into those stages, counts.</summary>
    Turn,
}

/// <summary>
/// The quality guard's rubric. Deliberately independent of <see cref="ModelRouter"/>'s scoring and conservative: a
/// turn is high-stakes when EITHER the author's gold labels OR the pipeline's own reading (rules analyser, state
/// machine) shows one of the signals. Gold labels catch what the analyser misses, so an analyser miss that lets a
/// hard turn reach the small model shows up as a guard failure instead of being hidden.
/// </summary>
public static class HighStakesRubric
{
    public static HighStakes Classify(RoutingTurn gold, MessageAnalysis analysis, ConversationState stateBefore, ConversationState stateAfter, decimal? dealValue, AiOptions options, RubricScope scope = RubricScope.Stage)
    {
        var stakes = HighStakes.None;
        if (gold.Intent == "objection" || analysis.Intent == Intent.Objection)
        {
            stakes |= HighStakes.Objection;
        }

        if (gold.Sentiment == "angry" || analysis.IsStronglyNegative)
        {
            stakes |= HighStakes.StronglyNegative;
        }

        if (gold.Sentiment == "negative" || gold.Intent == "human" || analysis.Intent == Intent.Human
            || analysis.Sentiment == Sentiment.Negative)
        {
            stakes |= HighStakes.EscalationRisk;
        }

        var pricing = gold.Intent == "pricing" || analysis.Intent == Intent.Pricing
            || (scope == RubricScope.Stage ? stateAfter == ConversationState.PriceNegotiation : stateAfter == ConversationState.PriceNegotiation && stateBefore != stateAfter);
        if (pricing && dealValue is { } deal && options.LargeDealValue > 0 && deal >= options.LargeDealValue)
        {
            stakes |= HighStakes.BigDealPrice;
        }

        var closingStage = scope == RubricScope.Stage
            ? stateAfter == ConversationState.ClosingAttempt
            : stateAfter == ConversationState.ClosingAttempt && stateBefore != stateAfter;
        if (gold.Intent == "purchase" || analysis.Intent == Intent.Purchase || closingStage)
        {
            stakes |= HighStakes.Closing;
        }

        return stakes;
    }

    /// <summary>The pipeline's own reading as labels, to run the rubric without gold labels.</summary>
    public static RoutingTurn AsRead(string text, MessageAnalysis analysis) => new(
        text,
        analysis.Intent.ToWire(),
        analysis.IsStronglyNegative ? "angry" : analysis.Sentiment == Sentiment.Negative ? "negative" : "neutral");

    /// <summary>The same signals read from the gold labels alone (to show which the analyser missed).</summary>
    public static bool GoldOnly(RoutingTurn gold, MessageAnalysis analysis) =>
        (gold.Intent == "objection" && analysis.Intent != Intent.Objection)
        || (gold.Sentiment is "negative" or "angry" && analysis.Sentiment != Sentiment.Negative)
        || (gold.Intent == "purchase" && analysis.Intent != Intent.Purchase);

    public static string Describe(HighStakes stakes) => stakes == HighStakes.None
        ? "routine"
        : string.Join('+', Enum.GetValues<HighStakes>().Where(s => s != HighStakes.None && stakes.HasFlag(s)).Select(s => s switch
        {
            HighStakes.Objection => "objection",
            HighStakes.StronglyNegative => "strongly_negative",
            HighStakes.EscalationRisk => "escalation_risk",
            HighStakes.BigDealPrice => "big_deal_price",
            _ => "closing",
        }));
}

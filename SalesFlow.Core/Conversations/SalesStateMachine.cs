using SalesFlow.Core.Brain;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// The seven sales stages and the edges between them. Forward moves follow the sales
/// funnel and may skip ahead (a lead who asks for the price during qualification goes
/// straight to price negotiation), except that post_purchase is reached only from a
/// closing attempt. Backward moves are only the four recovery edges of the design:
/// objection → value, price → value, closing → objection, post_purchase → initial_contact.
/// </summary>
public static class SalesStateMachine
{
    private static readonly HashSet<(ConversationState, ConversationState)> BackEdges =
    [
        (ConversationState.ObjectionHandling, ConversationState.ValueProposition),
        (ConversationState.PriceNegotiation, ConversationState.ValueProposition),
        (ConversationState.ClosingAttempt, ConversationState.ObjectionHandling),
        (ConversationState.PostPurchase, ConversationState.InitialContact),
    ];

    public static bool IsAllowed(ConversationState from, ConversationState to)
    {
        if (from == to)
        {
            return true;
        }

        if (to == ConversationState.PostPurchase)
        {
            return from == ConversationState.ClosingAttempt;
        }

        return to > from || BackEdges.Contains((from, to));
    }

    /// <summary>
    /// Decides the next state from the brain's insights: its suggested state when it is confident enough
    /// (<paramref name="minConfidence"/>) and an allowed edge (<see cref="LeadInsights.AllowedSuggestion"/>), else the
    /// rules below. Opt-outs and requests for a human never move the funnel, whatever the suggestion, and a strongly
    /// negative message never follows one.
    /// </summary>
    public static (ConversationState Next, string Reason) Next(ConversationState current, LeadInsights insights, double minConfidence)
    {
        ArgumentNullException.ThrowIfNull(insights);
        if (insights.Analysis.Intent is not (Intent.OptOut or Intent.Human) && !insights.Analysis.IsStronglyNegative
            && insights.AllowedSuggestion(current, minConfidence) is { } suggested)
        {
            return (suggested, $"suggested by {insights.Source} ({insights.SuggestedStateConfidence:0.00})");
        }

        return Next(current, insights.Analysis);
    }

    /// <summary>Decides the next state from what the lead just said.</summary>
    public static (ConversationState Next, string Reason) Next(ConversationState current, MessageAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.IsStronglyNegative && analysis.Intent is Intent.Purchase or Intent.Meeting)
        {
            // An angry lead is handed to a person; its anger never closes a deal ("third time i'm asking… my invoice.
            // ridiculous" moved to the closing attempt).
            return (current, "stay: strongly negative");
        }

        var target = Target(current, analysis);
        if (target == current || !IsAllowed(current, target))
        {
            return (current, $"stay: {analysis.Intent.ToWire()}");
        }

        return (target, $"intent {analysis.Intent.ToWire()} ({analysis.Confidence:0.00})");
    }

    private static ConversationState Target(ConversationState current, MessageAnalysis analysis) => (current, analysis.Intent) switch
    {
        (ConversationState.PostPurchase, Intent.Purchase) => ConversationState.PostPurchase,
        (ConversationState.PostPurchase, Intent.Support or Intent.Question or Intent.Other or Intent.Greeting) => ConversationState.PostPurchase,
        // A customer who comes back with a new need starts a new sales cycle.
        (ConversationState.PostPurchase, Intent.Interest or Intent.Pricing or Intent.Meeting) => ConversationState.InitialContact,
        (ConversationState.ClosingAttempt, Intent.Purchase) => ConversationState.PostPurchase,
        (_, Intent.Purchase) => ConversationState.ClosingAttempt,
        (_, Intent.Meeting) => current >= ConversationState.ValueProposition ? ConversationState.ClosingAttempt : ConversationState.ValueProposition,
        (_, Intent.Pricing) => ConversationState.PriceNegotiation,
        (ConversationState.InitialContact or ConversationState.InterestQualification, Intent.Objection) => ConversationState.InterestQualification,
        (_, Intent.Objection) => current == ConversationState.PriceNegotiation ? current : ConversationState.ObjectionHandling,
        (ConversationState.InitialContact, Intent.Interest or Intent.Question) => ConversationState.InterestQualification,
        (ConversationState.InterestQualification, Intent.Interest or Intent.Question) => ConversationState.ValueProposition,
        // An answered objection or price question that turns back to interest returns to value.
        (ConversationState.ObjectionHandling or ConversationState.PriceNegotiation, Intent.Interest) => ConversationState.ValueProposition,
        _ => current,
    };
}

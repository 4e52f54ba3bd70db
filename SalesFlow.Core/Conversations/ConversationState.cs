namespace SalesFlow.Core.Conversations;

/// <summary>The seven sales stages, in their forward order.</summary>
public enum ConversationState
{
    InitialContact,
    InterestQualification,
    ValueProposition,
    ObjectionHandling,
    PriceNegotiation,
    ClosingAttempt,
    PostPurchase,
}

public static class ConversationStateNames
{
    public static string ToWire(this ConversationState state) => state switch
    {
        ConversationState.InitialContact => "initial_contact",
        ConversationState.InterestQualification => "interest_qualification",
        ConversationState.ValueProposition => "value_proposition",
        ConversationState.ObjectionHandling => "objection_handling",
        ConversationState.PriceNegotiation => "price_negotiation",
        ConversationState.ClosingAttempt => "closing_attempt",
        ConversationState.PostPurchase => "post_purchase",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static ConversationState FromWire(string value)
    {
        foreach (var state in Enum.GetValues<ConversationState>())
        {
            if (state.ToWire() == value)
            {
                return state;
            }
        }

        throw new ArgumentException($"Unknown conversation state '{value}'.", nameof(value));
    }
}

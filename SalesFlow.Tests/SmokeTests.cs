using SalesFlow.Core.Conversations;

namespace SalesFlow.Tests;

public class ConversationStateNamesTests
{
    [Fact]
    public void WireNamesRoundTrip()
    {
        foreach (var state in Enum.GetValues<ConversationState>())
        {
            Assert.Equal(state, ConversationStateNames.FromWire(state.ToWire()));
        }
    }
}

using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Core.Brain;

/// <summary>Everything the brain needs to write the next reply.</summary>
/// <param name="State">The state the conversation is in after this turn's transition.</param>
/// <param name="PreviousState">The state before this turn.</param>
/// <param name="Analysis">The analysis of the lead's latest message(s).</param>
/// <param name="LeadName">The lead's first name when known.</param>
/// <param name="Channel">Where the reply goes (sets the length limit).</param>
/// <param name="LeadText">What the lead wrote this turn (a burst joined with new lines).</param>
/// <param name="TurnNumber">1 for the first reply to this lead.</param>
/// <param name="ClientName">The business's display name.</param>
public sealed record ReplyRequest(
    ConversationState State,
    ConversationState PreviousState,
    MessageAnalysis Analysis,
    string? LeadName,
    ChannelKind Channel,
    string LeadText,
    int TurnNumber,
    string ClientName);

/// <summary>Writes the reply a good sales rep would send.</summary>
public interface IReplyGenerator
{
    Task<string> GenerateAsync(ReplyRequest request, CancellationToken cancellationToken);
}

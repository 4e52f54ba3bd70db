using SalesFlow.Core.Brain;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Coaching;

/// <summary>A sales rep asks about one conversation ("how do I convince this lead?"). The answer is for the rep only.</summary>
/// <param name="History">The conversation so far, oldest first.</param>
/// <param name="LastLeadText">The lead's latest message(s), for the objection the rep is facing.</param>
public sealed record CoachRequest(
    string ClientId,
    string LeadId,
    string ClientName,
    ConversationState State,
    LeadProfile? Profile,
    IReadOnlyList<HistoryMessage> History,
    string LastLeadText,
    string Question);

/// <summary>Answers a rep's question about a conversation, streamed (a final chunk ends it, as for replies).</summary>
public interface ISalesCoach
{
    IAsyncEnumerable<ReplyChunk> AskAsync(CoachRequest request, CancellationToken ct);
}

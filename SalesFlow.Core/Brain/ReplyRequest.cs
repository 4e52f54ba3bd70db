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
/// <param name="ClientId">The tenant (usage accounting, per-client model and budget); null in tests of the rules brain.</param>
/// <param name="LeadId">The lead (usage accounting).</param>
/// <param name="History">Earlier messages, oldest first (the memory layer's hot window, fitted to the token budget; this turn's messages are in <paramref name="LeadText"/>).</param>
/// <param name="Insights">What the analyser read from this turn (BANT, DISC, key facts), when it ran.</param>
/// <param name="Knowledge">Passages from the client's knowledge base relevant to this turn (the RAG seam).</param>
/// <param name="DealValue">Expected deal value in the client's currency, when known (model routing).</param>
/// <param name="Summary">The warm layer: a rolling summary of what left the hot window, when there is one.</param>
/// <param name="Recalled">The cold layer: older messages relevant to this turn, oldest first.</param>
/// <param name="KeyFacts">What the lead profile knows, as short "label: value" lines.</param>
/// <param name="LeadFullName">The lead's whole name as given (a German e-mail's salutation uses it); null when unknown.</param>
/// <param name="UnansweredQuestions">The lead's questions <paramref name="Knowledge"/> holds nothing on while it answers another one of this turn (<see cref="KnowledgeForReply.Unanswered"/>).</param>
public sealed record ReplyRequest(
    ConversationState State,
    ConversationState PreviousState,
    MessageAnalysis Analysis,
    string? LeadName,
    ChannelKind Channel,
    string LeadText,
    int TurnNumber,
    string ClientName,
    string? ClientId = null,
    string? LeadId = null,
    IReadOnlyList<HistoryMessage>? History = null,
    LeadInsights? Insights = null,
    IReadOnlyList<string>? Knowledge = null,
    decimal? DealValue = null,
    string? Summary = null,
    IReadOnlyList<HistoryMessage>? Recalled = null,
    IReadOnlyList<string>? KeyFacts = null,
    string? LeadFullName = null,
    IReadOnlyList<string>? UnansweredQuestions = null);

/// <summary>One earlier message of the conversation as the brain sees it.</summary>
/// <param name="FromLead">True for the lead's messages, false for replies sent to them.</param>
public sealed record HistoryMessage(bool FromLead, string Text, ChannelKind Channel, DateTimeOffset At);

/// <summary>Writes the reply a good sales rep would send.</summary>
public interface IReplyGenerator
{
    Task<string> GenerateAsync(ReplyRequest request, CancellationToken cancellationToken);

    /// <summary>The reply as it is written, ending with one final chunk; by default the finished reply word by word.</summary>
    IAsyncEnumerable<ReplyChunk> StreamAsync(ReplyRequest request, CancellationToken cancellationToken) =>
        ReplyStreaming.WordByWord(GenerateAsync(request, cancellationToken), cancellationToken);
}

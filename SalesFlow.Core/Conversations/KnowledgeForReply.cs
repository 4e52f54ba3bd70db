namespace SalesFlow.Core.Conversations;

/// <summary>What the client's knowledge holds for one reply.</summary>
/// <param name="Passages">"[sourceId] text" lines the reply may draw on (and the compliance filter checks figures against).</param>
/// <param name="Unanswered">
/// The lead's questions nothing was found for while another question of the same message was answered: "is your tool GDPR
/// compliant? Also do you offer a discount for charities?" was answered on GDPR, and the discount went unmentioned. Empty
/// when the lead asked one thing, or everything it asked was found, or nothing was.
/// </param>
public sealed record KnowledgeForReply(IReadOnlyList<string> Passages, IReadOnlyList<string> Unanswered)
{
    public static readonly KnowledgeForReply None = new([], []);
}

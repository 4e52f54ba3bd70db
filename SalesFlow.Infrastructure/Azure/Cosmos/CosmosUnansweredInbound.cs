using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// Unanswered inbound messages in Cosmos: a conversation and its messages are separate documents, so one
/// cross-partition query finds the answerable inbound messages of the time window and a point read of each lead's
/// conversation keeps those past its answered mark. The window bounds what the query reads.
/// </summary>
public sealed class CosmosUnansweredInbound(CosmosContainers containers, CosmosConversationStore conversations) : IUnansweredInbound
{
    public async Task<IReadOnlyList<UnansweredConversation>> ListAsync(DateTimeOffset since, DateTimeOffset before, int limit, CancellationToken ct)
    {
        // createdAt is stored as ISO 8601 in UTC, so comparing the strings compares the times.
        var query = new QueryDefinition(
                "SELECT c.clientId, c.leadId, c.conversationId, c.seq, c.createdAt FROM c WHERE c.type = 'message' AND c.direction = 'inbound' AND c.answerable = true AND c.createdAt >= @since AND c.createdAt < @before")
            .WithParameter("@since", since.ToUniversalTime())
            .WithParameter("@before", before.ToUniversalTime());
        var messages = (await containers.Conversations.QueryAsync(query, null, ct))
            .Select(d => (ClientId: d.String("clientId")!, LeadId: d.String("leadId")!, ConversationId: d.String("conversationId")!, Seq: d["seq"]!.GetValue<long>(), At: d["createdAt"]!.GetValue<DateTimeOffset>()))
            .GroupBy(m => (m.ClientId, m.LeadId));
        var found = new List<UnansweredConversation>();
        foreach (var lead in messages)
        {
            if (await conversations.FindForLeadAsync(lead.Key.ClientId, lead.Key.LeadId, ct) is not { } conversation)
            {
                continue;
            }

            var waiting = lead.Where(m => m.ConversationId == conversation.Id && m.Seq > conversation.AnsweredThroughSeq).ToList();
            if (waiting.Count > 0)
            {
                found.Add(new UnansweredConversation(conversation.ClientId, conversation.LeadId, conversation.Id, waiting.Min(m => m.At)));
            }
        }

        return [.. found.OrderBy(f => f.OldestAt).Take(Math.Max(0, limit))];
    }
}

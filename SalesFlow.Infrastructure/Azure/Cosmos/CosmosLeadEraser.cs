using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Privacy;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// GDPR erasure over the Cosmos containers: the lead's whole conversation partition (conversation,
/// messages, counter, dedupe documents, memory summary and vectors), its conversation reference, its identities, its outbox
/// items with their provider indexes, its profile, compliance audit entries, AI usage records, meetings and slot offer (opt-out ledger entries stay,
/// unlinked from the lead), then the lead document itself — last, so an interrupted
/// erasure is found again and finished by a retry. Deleted documents are gone from Cosmos (no
/// soft delete); continuous backup keeps them until its retention ends, which the privacy notice states.
/// </summary>
public sealed class CosmosLeadEraser(CosmosContainers containers) : ILeadEraser
{
    public async Task<ErasureReport?> EraseAsync(string clientId, string leadId, CancellationToken ct)
    {
        var lead = await containers.Leads.ReadOrNullAsync(leadId, clientId, ct);
        if (lead is null || lead.String("type") != CosmosLeadStore.LeadType)
        {
            return null;
        }

        var counts = new Dictionary<string, int> { ["messages"] = 0, ["outbox"] = 0, ["conversations"] = 0, ["identities"] = 0, ["memory_summaries"] = 0, ["memory_vectors"] = 0 };

        // Everything in the lead's conversation partition.
        var leadKey = CosmosConversationStore.LeadKey(clientId, leadId);
        var partition = await containers.Conversations.QueryAsync(
            new QueryDefinition("SELECT c.id, c.type, c.conversationId FROM c WHERE c.leadKey = @leadKey AND c.clientId = @clientId")
                .WithParameter("@leadKey", leadKey)
                .WithParameter("@clientId", clientId),
            leadKey,
            ct);
        foreach (var doc in partition)
        {
            if (doc.String("type") == "conversation" && doc.String("conversationId") is { } conversationId)
            {
                await containers.Conversations.TryDeleteAsync(CosmosConversationStore.ReferenceDocId, CosmosConversationStore.ReferenceKey(clientId, conversationId), ct);
            }

            if (await containers.Conversations.TryDeleteAsync(doc.String("id")!, leadKey, ct))
            {
                Count(counts, doc.String("type") switch
                {
                    "message" => "messages",
                    "conversation" => "conversations",
                    CosmosMemoryStore.SummaryType => "memory_summaries",
                    CosmosMemoryIndex.VectorType => "memory_vectors",
                    _ => null,
                });
            }
        }

        // Identities, outbox items and their provider indexes: single-partition queries by lead id.
        counts["identities"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, "c.type = 'identity'", ct);
        counts["outbox"] = await DeleteWhereLeadAsync(containers.Outbox, clientId, leadId, "c.type = 'outbox'", ct);
        counts["lead_profiles"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, "c.type = 'profile'", ct);
        counts["compliance_audit"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, "c.type = 'complianceAudit'", ct);
        counts["ai_usage"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, "c.type = 'usage'", ct);
        await DeleteWhereLeadAsync(containers.Outbox, clientId, leadId, "c.type = 'outboxProvider'", ct);
        counts["crm_links"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosCrmLinkStore.LinkType}'", ct);
        counts["lead_outcomes"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosLeadOutcomeStore.OutcomeType}'", ct);
        counts["lead_scores"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosLeadScoreStore.ScoreType}'", ct);

        counts["email_claims"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosLeadStore.EmailClaimType}'", ct);
        counts["lead_merges"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosLeadStore.MergeType}'", ct);
        counts["meetings"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosMeetingStore.MeetingType}'", ct);
        counts["slot_offers"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosMeetingStore.OfferType}'", ct);
        counts["recommendations"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosRecommendationStore.RecommendationType}'", ct);
        counts["recommendation_revisits"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosRecommendationStore.RevisitType}'", ct);
        counts["playbook_runs"] = await DeleteWhereLeadAsync(containers.Leads, clientId, leadId, $"c.type = '{CosmosPlaybookStore.RunType}'", ct);
        counts["analytics_leads"] = await containers.Leads.TryDeleteAsync(CosmosAnalyticsStore.LeadDocId(leadId), clientId, ct) ? 1 : 0;
        // The records of leads merged into this one name it too.
        foreach (var merge in await new CosmosLeadStore(containers).ListMergedIntoAsync(clientId, leadId, ct))
        {
            counts["lead_merges"] += await containers.Leads.TryDeleteAsync(CosmosLeadStore.MergeId(merge.LeadId), clientId, ct) ? 1 : 0;
        }

        // The opt-out ledger keeps its suppressions (hashed addresses), no longer naming the lead.
        counts["opt_outs_unlinked"] = await new CosmosOptOutLedger(containers).UnlinkLeadAsync(clientId, leadId, ct);
        counts["leads"] = await containers.Leads.TryDeleteAsync(leadId, clientId, ct) ? 1 : 0;
        return new ErasureReport(leadId, counts);
    }

    private static void Count(Dictionary<string, int> counts, string? key)
    {
        if (key is not null)
        {
            counts[key]++;
        }
    }

    private static async Task<int> DeleteWhereLeadAsync(Container container, string clientId, string leadId, string filter, CancellationToken ct)
    {
        var docs = await container.QueryAsync(
            new QueryDefinition($"SELECT c.id FROM c WHERE c.clientId = @clientId AND c.leadId = @leadId AND {filter}")
                .WithParameter("@clientId", clientId)
                .WithParameter("@leadId", leadId),
            clientId,
            ct);
        var removed = 0;
        foreach (var doc in docs)
        {
            removed += await container.TryDeleteAsync(doc.String("id")!, clientId, ct) ? 1 : 0;
        }

        return removed;
    }
}

using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Leads;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>Lead outcomes in the <c>leads</c> container (pk <c>/clientId</c>) as the document <c>outcome:{leadId}</c>; a set upserts it (the latest word wins).</summary>
public sealed class CosmosLeadOutcomeStore(CosmosContainers containers) : ILeadOutcomeStore
{
    internal const string OutcomeType = "leadOutcome";

    internal static string DocId(string leadId) => $"outcome:{leadId}";

    public async Task<LeadOutcome?> GetAsync(string clientId, string leadId, CancellationToken ct)
    {
        var doc = await containers.Leads.ReadOrNullAsync(DocId(leadId), clientId, ct);
        return doc is not null && doc.String("type") == OutcomeType ? CosmosDocuments.FromDocument<LeadOutcome>(doc) : null;
    }

    public async Task SetAsync(LeadOutcome outcome, CancellationToken ct) =>
        await containers.Leads.UpsertItemAsync(
            CosmosDocuments.ToDocument(outcome, OutcomeType, DocId(outcome.LeadId)),
            new PartitionKey(outcome.ClientId),
            new ItemRequestOptions { EnableContentResponseOnWrite = false },
            ct);

    /// <summary>Create when absent, else replace at the read ETag; a lost race reads again and compares again.</summary>
    public async Task<bool> SetIfNewerAsync(LeadOutcome outcome, CancellationToken ct)
    {
        var doc = CosmosDocuments.ToDocument(outcome, OutcomeType, DocId(outcome.LeadId));
        while (true)
        {
            var stored = await containers.Leads.ReadOrNullAsync(DocId(outcome.LeadId), outcome.ClientId, ct);
            if (stored is null)
            {
                if (await containers.Leads.TryCreateAsync(doc, outcome.ClientId, ct))
                {
                    return true;
                }

                continue; // a concurrent writer created it first
            }

            if (CosmosDocuments.FromDocument<LeadOutcome>(stored).At >= outcome.At)
            {
                return false;
            }

            try
            {
                await containers.Leads.ReplaceGuardedAsync(doc, outcome.ClientId, CosmosDocuments.ETagOf(stored), "The lead's outcome", ct);
                return true;
            }
            catch (SalesFlow.Core.Common.ConcurrencyException)
            {
                // Another writer replaced it meanwhile: compare with what it stored.
            }
        }
    }

    public async Task<IReadOnlyList<LeadOutcome>> ListAsync(string clientId, int limit, CancellationToken ct)
    {
        var docs = await containers.Leads.QueryAsync(
            new QueryDefinition($"SELECT TOP {Math.Max(0, limit)} * FROM c WHERE c.clientId = @clientId AND c.type = @type")
                .WithParameter("@clientId", clientId)
                .WithParameter("@type", OutcomeType),
            clientId,
            ct);
        return [.. docs.Select(d => CosmosDocuments.FromDocument<LeadOutcome>(d)).OrderByDescending(o => o.At)];
    }
}

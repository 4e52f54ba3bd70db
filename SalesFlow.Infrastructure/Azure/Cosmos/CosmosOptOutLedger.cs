using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Reach;

namespace SalesFlow.Infrastructure.Azure.Cosmos;

/// <summary>
/// The opt-out ledger in the <c>leads</c> container (partition <c>/clientId</c>), one document <c>optout:{hash}</c> per
/// address: every check is a point read, every decision an upsert per address, and no container (or infra) is added.
/// The lead's erasure keeps the documents but clears their lead and message ids (<see cref="UnlinkLeadAsync"/>).
/// </summary>
public sealed class CosmosOptOutLedger(CosmosContainers containers) : IOptOutLedger
{
    public const string Type = "optOut";

    private Container Leads => containers.Leads;

    public async Task<bool> IsOptedOutAsync(string clientId, string address, CancellationToken ct) =>
        (await FindAsync(clientId, [address], ct)).Any(e => e.OptedOut);

    public async Task<IReadOnlyList<OptOutEntry>> FindAsync(string clientId, IEnumerable<string> addresses, CancellationToken ct)
    {
        var entries = new List<OptOutEntry>();
        foreach (var hash in OptOutAddress.Hashes(clientId, addresses))
        {
            if (await Leads.ReadOrNullAsync(DocId(hash), clientId, ct) is { } doc)
            {
                entries.Add(FromDocument(doc));
            }
        }

        return entries;
    }

    public async Task RecordAsync(string clientId, IEnumerable<string> addresses, bool optedOut, ChannelKind channel, string keyword, DateTimeOffset at, string? leadId, string? messageId, CancellationToken ct)
    {
        foreach (var hash in OptOutAddress.Hashes(clientId, addresses))
        {
            await Leads.UpsertItemAsync(
                ToDocument(new OptOutEntry(clientId, hash, optedOut, channel, keyword, at, leadId, messageId)),
                new PartitionKey(clientId),
                new ItemRequestOptions { EnableContentResponseOnWrite = false },
                ct);
        }
    }

    /// <summary>For the lead's erasure: the entries stay as suppressions but no longer name the lead or its message.</summary>
    public async Task<int> UnlinkLeadAsync(string clientId, string leadId, CancellationToken ct)
    {
        var docs = await Leads.QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.clientId = @clientId AND c.type = @type AND c.leadId = @leadId")
                .WithParameter("@clientId", clientId)
                .WithParameter("@type", Type)
                .WithParameter("@leadId", leadId),
            clientId,
            ct);
        foreach (var doc in docs)
        {
            await Leads.UpsertItemAsync(ToDocument(FromDocument(doc) with { LeadId = null, MessageId = null }), new PartitionKey(clientId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
        }

        return docs.Count;
    }

    private static string DocId(string hash) => $"optout:{hash}";

    private static JsonObject ToDocument(OptOutEntry entry) => new()
    {
        ["id"] = DocId(entry.AddressHash),
        ["type"] = Type,
        ["clientId"] = entry.ClientId,
        ["addressHash"] = entry.AddressHash,
        ["optedOut"] = entry.OptedOut,
        ["channel"] = entry.Channel.ToWire(),
        ["keyword"] = entry.Keyword,
        ["atMs"] = entry.At.ToUnixTimeMilliseconds(),
        ["leadId"] = entry.LeadId,
        ["messageId"] = entry.MessageId,
    };

    private static OptOutEntry FromDocument(JsonObject doc)
    {
        ChannelKindNames.TryParse(doc.String("channel"), out var channel);
        return new OptOutEntry(
            doc.String("clientId")!,
            doc.String("addressHash")!,
            doc["optedOut"]!.GetValue<bool>(),
            channel,
            doc.String("keyword")!,
            DateTimeOffset.FromUnixTimeMilliseconds(doc["atMs"]!.GetValue<long>()),
            doc.String("leadId"),
            doc.String("messageId"));
    }
}

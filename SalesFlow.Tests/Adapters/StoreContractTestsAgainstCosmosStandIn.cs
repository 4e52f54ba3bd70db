using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>
/// The store contract against the Cosmos adapter, talking to the local Cosmos stand-in
/// (<c>@vercel/cosmosdb-server</c>) through the real SDK; each test gets its own database.
/// </summary>
[Collection(CosmosStandInCollection.Name)]
public sealed class StoreContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : StoreContractTests
{
    private CosmosStores? _stores;

    protected override async Task<StoreSet> CreateStoresAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return new StoreSet(_stores.Clients, _stores.Leads, _stores.Conversations, _stores.Outbox, _stores.Eraser, _stores.Profiles, _stores.ComplianceAudit, _stores.Usage, _stores.Memory, _stores.MemoryIndex, FindEverythingMentioningAsync, _stores.Unanswered, _stores.DeliveryFeedback);
    }

    protected override async Task<string> ReadRawClientAsync(string clientId)
    {
        var response = await _stores!.Containers.Clients.ReadItemAsync<JsonObject>(clientId, new PartitionKey(clientId));
        return response.Resource.ToJsonString();
    }

    protected override async Task DisposeStoresAsync()
    {
        await CosmosStandInFixture.DropAsync(_stores);
    }

    /// <summary>Every document of every container whose JSON names the lead (a read feed over all partitions).</summary>
    private async Task<IReadOnlyList<string>> FindEverythingMentioningAsync(string leadId)
    {
        var found = new List<string>();
        foreach (var container in _stores!.Containers.All)
        {
            using var feed = container.GetItemQueryIterator<JsonObject>((string?)null);
            while (feed.HasMoreResults)
            {
                foreach (var doc in await feed.ReadNextAsync())
                {
                    if (doc.ToJsonString().Contains(leadId, StringComparison.Ordinal))
                    {
                        found.Add($"{container.Id}:{doc["id"]}");
                    }
                }
            }
        }

        return found;
    }
    [Fact]
    public async Task TheStaleLeadSweepLooksOnlyAtLeadsWithMessagesWithinItsWindow()
    {
        var now = DateTimeOffset.UtcNow;
        var (lead, _) = await _stores!.Leads.GetOrCreateByIdentityAsync("acme", Core.Leads.IdentityKind.Phone, "+491703333333", () => NewLead("acme"), default);
        var conversation = await _stores.Conversations.GetOrCreateForLeadAsync("acme", lead.Id, Core.Channels.ChannelKind.WhatsApp, now, default);
        for (var i = 0; i < 5; i++)
        {
            await _stores.Conversations.AddInboundAsync(Inbound(conversation, "message " + i), default);
        }

        var today = new CosmosMemoryStore(_stores.Containers);
        var later = new CosmosMemoryStore(_stores.Containers, new ManualClock(now + CosmosMemoryStore.SweepWindow + TimeSpan.FromHours(1)));

        Assert.Equal([new Core.Memory.StaleLead("acme", lead.Id)], await today.ListStaleLeadsAsync(3, 10, default));
        Assert.Empty(await later.ListStaleLeadsAsync(3, 10, default));
    }
}

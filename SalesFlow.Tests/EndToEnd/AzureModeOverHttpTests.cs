using System.Net;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class AzureStandInsCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<CosmosStandInFixture>
{
    public const string Name = "Azure stand-ins";
}

/// <summary>
/// The app standalone in Azure mode: state in Cosmos DB (the stand-in), work on Storage queues
/// (Azurite). The same message loop as on the embedded default.
/// </summary>
[Collection(AzureStandInsCollection.Name)]
public sealed class AzureModeOverHttpTests(AzuriteFixture azurite, CosmosStandInFixture cosmos)
{
    private Task<SalesFlowAppProcess> StartAsync(string? databaseName = null) => SalesFlowAppProcess.StartAsync(new()
    {
        ["SalesFlow__Store"] = "cosmos",
        ["DataProtection__KeyEncryptionKey"] = "azure-mode-test-key-encryption-key",
        ["SalesFlow__Queue"] = "storage",
        ["CosmosDb__connectionString"] = cosmos.ConnectionString,
        ["CosmosDb__databaseName"] = databaseName ?? "e2e" + Guid.NewGuid().ToString("N")[..12],
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
    });

    [Fact]
    public async Task KnowledgeBasesAndSourcesLiveInCosmosAndAreSearchable()
    {
        var databaseName = "e2e" + Guid.NewGuid().ToString("N")[..12];
        await using var app = await StartAsync(databaseName);
        var kb = (await app.Http.PostJsonAsync("/api/knowledge/bases", new { name = "Products", description = "What we sell" })).Str("id");
        var faq = await app.Http.PostJsonAsync($"/api/knowledge/bases/{kb}/faqs", new { id = "faq:hours", question = "When are you open?", answer = "Monday to Friday, 9:00 to 17:00." });
        Assert.Equal(("faq:hours", "ready"), (faq.Str("id"), faq.Str("status")));

        // Every base of the client (no base id): the embedded index finds the base from its own chunks.
        var search = await app.Http.PostJsonAsync("/api/knowledge/search", new { query = "opening hours when are you open", top = 1 });
        Assert.Equal("faq:hours", Assert.Single(search.GetProperty("passages").EnumerateArray()).Str("sourceId"));
        var stats = await app.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats");
        Assert.Equal((1, 1), (stats.GetProperty("faqs").GetInt32(), stats.GetProperty("chunks").GetInt32()));

        using (var stores = await cosmos.CreateStoresAsync(databaseName))
        {
            var types = new List<string>();
            // A read feed over every partition (the stand-in answers no cross-partition query).
            using var feed = stores.Containers.Leads.GetItemQueryIterator<System.Text.Json.Nodes.JsonObject>((string?)null);
            while (feed.HasMoreResults)
            {
                types.AddRange((await feed.ReadNextAsync()).Select(d => d["type"]?.GetValue<string>() ?? "").Where(t => t is "kbase" or "ksource"));
            }

            Assert.Equal(["kbase", "ksource"], types.Order());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync($"/api/knowledge/bases/{kb}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync($"/api/knowledge/bases/{kb}")).StatusCode);
        var after = await app.Http.PostJsonAsync("/api/knowledge/search", new { query = "opening hours when are you open" });
        Assert.Equal(0, after.GetProperty("passages").GetArrayLength());
    }

    [Fact]
    public async Task WhatsAppTextGetsAReplyThroughCosmosAndStorageQueues()
    {
        await using var app = await StartAsync();
        var ready = await app.Http.GetJsonAsync("/ready");
        Assert.Equal(("cosmos", "storage"), (ready.Str("store"), ready.Str("queueAdapter")));

        var waId = "4917033" + Random.Shared.Next(100000, 999999);
        var body = Webhooks.WhatsAppText(waId, "wamid.azure-" + waId, "Hi, I'm interested in your product. Can you tell me more?");
        using var first = await app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, WhatsAppAppSecret));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var duplicate = await app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, WhatsAppAppSecret));
        Assert.Equal(1, (await duplicate.JsonAsync()).GetProperty("duplicates").GetInt32());

        var items = await Eventually.ReturnsAsync(() => app.Http.OutboxAsync(), i => i.Length == 1 && i[0].Str("status") == "sent", TimeSpan.FromSeconds(30), "the reply is written to Cosmos and delivered through the deliver queue");
        Assert.Equal("+" + waId, items[0].Str("recipient"));
        Assert.Contains("Anna", items[0].Str("text"), StringComparison.Ordinal);

        var lead = await app.Http.GetJsonAsync($"/api/leads/{items[0].Str("leadId")}");
        Assert.Equal("interest_qualification", lead.Str("state"));
        var conversation = await app.Http.GetJsonAsync($"/api/conversations/{lead.Str("conversationId")}");
        Assert.Equal(2, conversation.GetProperty("messages").GetArrayLength());

        await Task.Delay(2000);
        Assert.Single(await app.Http.OutboxAsync());
    }

    [Fact]
    public async Task GdprErasureWorksOnCosmos()
    {
        await using var app = await StartAsync();
        var start = await app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917012312312", message = "Hello, what does it cost?" });
        Assert.False(string.IsNullOrEmpty(start.Str("reply")));

        using var erase = await app.Http.DeleteAsync($"/api/leads/{start.Str("leadId")}");
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync($"/api/leads/{start.Str("leadId")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync($"/api/conversations/{start.Str("conversationId")}")).StatusCode);
        Assert.Empty(await app.Http.OutboxAsync(start.Str("leadId")));
    }
}

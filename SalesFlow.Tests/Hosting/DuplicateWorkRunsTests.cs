using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Runners;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// Issue 16: the same queue message run twice (at-least-once queues deliver it again after a crash or a lease that ran
/// out; Storage queues may hand it to two workers) has one effect, for every queue function of the catalog: the app
/// (in-process, SQLite, embedded queue, in-test vendors) does the work once, then the same message runs twice at once
/// through the <see cref="WorkDispatcher"/> both hosts use, and nothing more happens. A queue without a scenario here fails.
/// Run on the embedded default and on the Azure stand-ins (Cosmos store, Storage queues on Azurite).
/// </summary>
public abstract class DuplicateWorkRunsTests : IAsyncLifetime
{
    private const string PhoneNumberId = "106540352242922"; // the phone_number_id in the webhooks' metadata
    private const string GraphToken = "EAAG-duplicate-runs-token-3b3b";
    private const string HubSpotToken = "pat-eu1-duplicate-runs-token";

    private WhatsAppGraphServer _graph = null!;
    private HubSpotApiServer _hubspot = null!;
    private InProcessApp _app = null!;

    public static TheoryData<string> QueueNames() => [.. FunctionCatalog.Queues.Select(q => q.QueueName)];

    /// <summary>Where state and work live: nothing for the embedded default.</summary>
    protected abstract Dictionary<string, string?> StorageSettings();

    public async Task InitializeAsync()
    {
        _graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, GraphToken);
        _hubspot = await HubSpotApiServer.StartAsync(HubSpotToken);
        _app = await InProcessApp.StandaloneAsync(new(StorageSettings())
        {
            ["WhatsApp:GraphBaseUrl"] = _graph.BaseUrlSetting,
            ["WhatsApp:GraphVersion"] = "v23.0",
            ["HubSpot:ApiBaseUrl"] = _hubspot.BaseUrlSetting,
            ["Knowledge:InlineIngestTokens"] = "200",
        });
        var config = $$"""{ "whatsapp": { "phoneNumberId": "{{PhoneNumberId}}", "accessToken": "{{GraphToken}}" }, "hubspot": { "accessToken": "{{HubSpotToken}}", "clientSecret": "hubspot-secret-duplicate-runs" } }""";
        using var response = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent(config, Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _hubspot.DisposeAsync();
        await _graph.DisposeAsync();
    }

    /// <summary>The same message, run twice at once, as a redelivered or doubly handed-out queue message would be.</summary>
    private async Task RunTwiceAsync(string queue, string payload)
    {
        var work = _app.Services.GetRequiredService<WorkDispatcher>();
        var id = "duplicate-" + Guid.NewGuid().ToString("N");
        await Task.WhenAll(work.RunAsync(new WorkItem(id, queue, payload, 1), default), work.RunAsync(new WorkItem(id, queue, payload, 2), default));
    }

    /// <summary>A lead's first WhatsApp message, its reply sent once: (lead id, outbox id).</summary>
    private async Task<(string LeadId, string OutboxId)> AnsweredLeadAsync(string text)
    {
        var waId = "4917" + Random.Shared.Next(10_000_000, 99_999_999);
        using var webhook = await _app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), text), SalesFlowAppProcess.WhatsAppAppSecret));
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        var reply = (await Eventually.ReturnsAsync(
            async () => (await _app.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(),
            i => i.Length == 1 && i[0].Str("status") == "sent",
            because: "the reply is written and sent"))[0];
        return (reply.Str("leadId"), reply.Str("id"));
    }

    private async Task<string> OutboxStateAsync(string leadId) =>
        string.Join(";", (await _app.Http.OutboxAsync(leadId)).Select(i => $"{i.Str("id")}:{i.Str("purpose")}:{i.Str("status")}"));

    private async Task<string> ConversationStateAsync(string leadId)
    {
        var lead = await _app.Http.GetJsonAsync($"/api/leads/{leadId}");
        var conversation = await _app.Http.GetJsonAsync($"/api/conversations/{lead.Str("conversationId")}");
        return string.Join(";", conversation.GetProperty("messages").EnumerateArray().Select(m => $"{m.Str("direction")}:{m.Str("text")}"));
    }

    private string HubSpotState() =>
        $"{_hubspot.Contacts.Count} contacts, {_hubspot.Deals.Count} deals, {_hubspot.Notes.Count} notes";

    [Theory]
    [MemberData(nameof(QueueNames))]
    public async Task TheSameQueueMessageRunTwiceAtOnceHasOneEffect(string queue)
    {
        var scenario = queue switch
        {
            Queues.ProcessInbound => ProcessInboundTwiceAsync(),
            Queues.Deliver => DeliverTwiceAsync(),
            Queues.SyncCrm => SyncCrmTwiceAsync(),
            Queues.IngestKnowledge => IngestKnowledgeTwiceAsync(),
            _ => throw new Xunit.Sdk.XunitException($"No duplicate-run scenario for queue '{queue}': add one to {nameof(DuplicateWorkRunsTests)}."),
        };
        await scenario;
    }

    /// <summary>A turn run again answers nothing new: one reply, one send, the conversation unchanged.</summary>
    private async Task ProcessInboundTwiceAsync()
    {
        var (leadId, _) = await AnsweredLeadAsync("Hi, do you have a plan for small teams?");
        var (outbox, conversation, sends) = (await OutboxStateAsync(leadId), await ConversationStateAsync(leadId), _graph.Sends.Count);

        await RunTwiceAsync(Queues.ProcessInbound, ProcessInboundWork.Serialize(new("demo", leadId)));
        await Task.Delay(1000); // a delivery a second turn queued would have run by now

        Assert.Equal((outbox, conversation, sends), (await OutboxStateAsync(leadId), await ConversationStateAsync(leadId), _graph.Sends.Count));
    }

    /// <summary>A delivery run again sends nothing: the item is sent, the vendor saw it once.</summary>
    private async Task DeliverTwiceAsync()
    {
        var (leadId, outboxId) = await AnsweredLeadAsync("Hi, can I book a demo on Thursday?");
        var outbox = await OutboxStateAsync(leadId);

        await RunTwiceAsync(Queues.Deliver, DeliverWork.Serialize(new("demo", outboxId)));

        Assert.Equal(outbox, await OutboxStateAsync(leadId));
        Assert.Single(_graph.Sends, s => s.Json?["biz_opaque_callback_data"]?.GetValue<string>() == outboxId);
    }

    /// <summary>A CRM sync run again creates no second contact, deal or note.</summary>
    private async Task SyncCrmTwiceAsync()
    {
        var (leadId, _) = await AnsweredLeadAsync("Hi, I'm Anna, CTO at Acme GmbH. Our budget is 50k EUR, we need a CRM this quarter and I decide. Can we book a demo?");
        await Eventually.ReturnsAsync(() => _app.Http.GetJsonAsync($"/api/leads/{leadId}/crm"), c => c.GetProperty("lastSyncedAt").ValueKind != System.Text.Json.JsonValueKind.Null, because: "the lead is synced once");
        await Task.Delay(1000); // syncs queued by the turn's later reactions settle
        var before = HubSpotState();
        Assert.StartsWith("1 contacts", before, StringComparison.Ordinal);

        await RunTwiceAsync(Queues.SyncCrm, SyncCrmWork.Serialize(new("demo", leadId)));

        Assert.Equal(before, HubSpotState());
    }

    /// <summary>An ingestion run again leaves the same chunks: none doubled, the document ready.</summary>
    private async Task IngestKnowledgeTwiceAsync()
    {
        var kb = (await _app.Http.PostJsonAsync("/api/knowledge/bases", new { name = "Catalogue " + Guid.NewGuid().ToString("N")[..6] })).Str("id");
        var html = "<h1>Catalogue</h1>" + string.Concat(Enumerable.Range(0, 80).Select(i => $"<h2>Model {i}</h2><p>Model {i} has {i + 2} ports and ships with a two-year warranty.</p>"));
        using var response = await _app.Http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/documents", new { id = "catalogue", title = "Catalogue", contentType = "text/html", content = html });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ready = await Eventually.ReturnsAsync(() => _app.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/documents/catalogue"), d => d.Str("status") == "ready", because: "queued ingestion finishes");
        var stats = (await _app.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats")).ToString();

        await RunTwiceAsync(Queues.IngestKnowledge, IngestKnowledgeWork.Serialize(new("demo", kb, "catalogue")));

        var again = await _app.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/documents/catalogue");
        Assert.Equal(("ready", ready.GetProperty("chunks").GetInt32()), (again.Str("status"), again.GetProperty("chunks").GetInt32()));
        Assert.Equal(stats, (await _app.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats")).ToString());
    }
}

public sealed class DuplicateWorkRunsAgainstSqliteTests : DuplicateWorkRunsTests
{
    protected override Dictionary<string, string?> StorageSettings() => [];
}

[Collection(SalesFlow.Tests.EndToEnd.AzureStandInsCollection.Name)]
public sealed class DuplicateWorkRunsAgainstCosmosTests(AzuriteFixture azurite, CosmosStandInFixture cosmos) : DuplicateWorkRunsTests
{
    protected override Dictionary<string, string?> StorageSettings() => new()
    {
        ["SalesFlow:Store"] = "cosmos",
        ["SalesFlow:Queue"] = "storage",
        ["DataProtection:KeyEncryptionKey"] = "duplicate-runs-test-key-encryption-key",
        ["CosmosDb:connectionString"] = cosmos.ConnectionString,
        ["CosmosDb:databaseName"] = "dup" + Guid.NewGuid().ToString("N")[..12],
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
    };
}

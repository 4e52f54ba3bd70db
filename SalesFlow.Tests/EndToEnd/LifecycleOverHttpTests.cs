using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>Tests that need an app of their own: restarts, kills, erasure, a second tenant.</summary>
public sealed class LifecycleOverHttpTests
{
    [Fact]
    public async Task BehindAProxyTwilioSignaturesAreCheckedAgainstThePublicUrl()
    {
        // In the cloud the Functions host forwards https://<app>.azurewebsites.net/… to the handler on http://127.0.0.1;
        // Twilio signs the public URL, so the handler must check that one, not the URL it was reached on.
        const string PublicBase = "https://salesflow.example.com";
        await using var app = await SalesFlowAppProcess.StartAsync(new() { ["SalesFlow__PublicBaseUrl"] = PublicBase });
        var form = Webhooks.TwilioSms("+14158675309", "SM" + Guid.NewGuid().ToString("N"), "Hi, do you deliver?");

        var signedForPublic = new HttpRequestMessage(HttpMethod.Post, new Uri(app.BaseUrl, "/api/webhooks/twilio/demo")) { Content = new FormUrlEncodedContent(form) };
        signedForPublic.Headers.Add("X-Twilio-Signature", Webhooks.TwilioSignatureFor(TwilioAuthToken, PublicBase + "/api/webhooks/twilio/demo", form));
        using var accepted = await app.Http.SendAsync(signedForPublic);
        using var signedForLocal = await app.Http.SendAsync(Webhooks.SignedTwilio(app.BaseUrl, "demo", form, TwilioAuthToken));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signedForLocal.StatusCode);
    }

    [Fact]
    public async Task AJobQueuedBeforeACrashIsAnsweredOnceAfterTheRestart()
    {
        // A long burst window holds the turn in the queue long enough to kill the app in between.
        await using var app = await SalesFlowAppProcess.StartAsync(new() { ["Conversation__BurstWindow"] = "00:00:04" });
        var waId = "4917012" + Random.Shared.Next(100000, 999999);
        using var response = await app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid.crash-" + waId, "Hi, what do you offer for restaurants?"), WhatsAppAppSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await app.Http.OutboxAsync());

        await app.KillAsync();
        await app.RestartAsync();

        var items = await Eventually.ReturnsAsync(() => app.Http.OutboxAsync(), i => i.Length == 1 && i[0].Str("status") == "sent", TimeSpan.FromSeconds(30));
        Assert.Equal("+" + waId, items[0].Str("recipient"));

        // Providers redeliver at will: the same delivery again changes nothing.
        await (await app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid.crash-" + waId, "Hi, what do you offer for restaurants?"), WhatsAppAppSecret))).JsonAsync();
        await Task.Delay(5000);
        Assert.Single(await app.Http.OutboxAsync());
    }

    [Fact]
    public async Task DataSurvivesARestartAndTheDemoCredentialsArePrintedOnlyOnce()
    {
        await using var app = await SalesFlowAppProcess.StartAsync();
        Assert.Contains(ApiKey, app.Output, StringComparison.Ordinal);
        Assert.Contains("/api/webhooks/whatsapp/demo", app.Output, StringComparison.Ordinal);
        var start = await app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917099887766", message = "Hello, interested in a demo" });

        await app.KillAsync();
        var before = app.Output.Length;
        await app.RestartAsync();

        Assert.DoesNotContain(ApiKey, app.Output[before..], StringComparison.Ordinal);
        var conversation = await app.Http.GetJsonAsync($"/api/conversations/{start.Str("conversationId")}");
        Assert.Equal(2, conversation.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task ErasingALeadLeavesNoTraceInAnyStore()
    {
        await using var app = await SalesFlowAppProcess.StartAsync();
        const string phone = "+4917055501234";
        const string secretWords = "Kiwi-Mango-Zeppelin";
        const string email = "erase.me@example.org";
        var start = await app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = phone, name = "Erika Mustermann", message = $"Hi, my code word is {secretWords}, mail me at {email}" });
        await app.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "What does it cost?" });
        // Two replies and the confirmation e-mail to the address typed in chat (its claim is erased too).
        await Eventually.ReturnsAsync(() => app.Http.OutboxAsync(start.Str("leadId")), i => i.All(x => x.Str("status") == "sent") && i.Length == 3);

        using var erase = await app.Http.DeleteAsync($"/api/leads/{start.Str("leadId")}");
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync($"/api/leads/{start.Str("leadId")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.DeleteAsync($"/api/leads/{start.Str("leadId")}")).StatusCode); // a repeat changes nothing
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync($"/api/conversations/{start.Str("conversationId")}")).StatusCode);
        Assert.Empty(await app.Http.OutboxAsync(start.Str("leadId")));

        // Search every byte the store keeps on disk (database, WAL, shared memory) for the lead's data.
        var files = Directory.GetFiles(app.DataDir, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("salesflow.db-wal", StringComparison.Ordinal));
        foreach (var file in files)
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                bytes = copy.ToArray();
            }

            foreach (var needle in new[] { phone, phone[1..], secretWords, email, "Mustermann", start.Str("leadId"), start.Str("conversationId") })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) < 0, $"'{needle}' still in {Path.GetFileName(file)}");
            }
        }
    }

    [Fact]
    public async Task AClientKeyNeverSeesAnotherClientsData()
    {
        await using var app = await SalesFlowAppProcess.StartAsync(new() { ["SALESFLOW_ADMIN_KEY"] = "admin-secret" });
        using var admin = app.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "admin-secret");
        var other = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "globex", name = "Globex", defaultCountryCode = "1" })).JsonAsync();
        using var globex = app.Anonymous();
        globex.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other.Str("apiKey"));

        const string phone = "+14155550123";
        var demoLead = await app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = phone, message = "Hi from the demo tenant" });
        var globexLead = await globex.PostJsonAsync("/api/conversations", new { channel = "sms", from = phone, message = "Hi from the globex tenant" });

        Assert.NotEqual(demoLead.Str("leadId"), globexLead.Str("leadId"));
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/leads/{demoLead.Str("leadId")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/leads/{demoLead.Str("leadId")}/memory")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/api/conversations/{demoLead.Str("conversationId")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsJsonAsync($"/api/conversations/{demoLead.Str("conversationId")}/messages", new { message = "sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.DeleteAsync($"/api/leads/{demoLead.Str("leadId")}")).StatusCode);
        Assert.Empty(await globex.OutboxAsync(demoLead.Str("leadId")));
        Assert.All(await globex.OutboxAsync(), i => Assert.Equal(globexLead.Str("leadId"), i.Str("leadId")));
        Assert.Empty((await globex.GetJsonAsync($"/api/compliance/audit?leadId={demoLead.Str("leadId")}")).GetProperty("items").EnumerateArray());
        Assert.All((await globex.GetJsonAsync("/api/compliance/audit")).GetProperty("items").EnumerateArray(), i => Assert.Equal(globexLead.Str("leadId"), i.Str("leadId")));
        Assert.NotEmpty((await app.Http.GetJsonAsync($"/api/compliance/audit?leadId={demoLead.Str("leadId")}")).GetProperty("items").EnumerateArray());
        Assert.Equal("globex", (await globex.GetJsonAsync("/api/usage")).Str("clientId"));
        Assert.False((await globex.GetJsonAsync("/api/usage")).GetProperty("byLead").TryGetProperty(demoLead.Str("leadId"), out _));
        Assert.Equal(HttpStatusCode.NotFound, (await globex.PostAsJsonAsync("/api/chat/stream", new { conversationId = demoLead.Str("conversationId"), message = "sneaky", mode = "coach" })).StatusCode);

        // The demo tenant's data is untouched by all of that.
        var conversation = await app.Http.GetJsonAsync($"/api/conversations/{demoLead.Str("conversationId")}");
        Assert.Equal(2, conversation.GetProperty("messages").GetArrayLength());

        // A webhook signed with one tenant's secret cannot post into another tenant.
        var body = Webhooks.WhatsAppText("14155550123", "wamid.cross-tenant", "hi");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.SendAsync(Webhooks.SignedWhatsApp("globex", body, WhatsAppAppSecret))).StatusCode);
    }

    [Fact]
    public async Task WorkThatKeepsFailingIsParkedListedAndReplayedByAnOperator()
    {
        await using var app = await SalesFlowAppProcess.StartAsync(new() { ["SALESFLOW_ADMIN_KEY"] = "admin-secret", ["SalesFlow__MaxDequeueCount"] = "1" });
        using var admin = app.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "admin-secret");

        // A job the deliver handler cannot read (as after a bad deploy), written straight into the app's queue table.
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(app.DataDir, "salesflow.db")}"))
        {
            await db.OpenAsync();
            await using var insert = db.CreateCommand();
            insert.CommandText = "PRAGMA busy_timeout=5000; INSERT INTO jobs (queue, payload, due_at, created_at) VALUES ('deliver', '{\"clientId\":\"demo\"}', 0, 0)";
            await insert.ExecuteNonQueryAsync();
        }

        var parked = await Eventually.ReturnsAsync(async () => (await admin.GetJsonAsync("/api/admin/queues/deliver/poison")).GetProperty("items").EnumerateArray().ToArray(), i => i.Length == 1, because: "the job fails once and is parked");
        Assert.Contains("outboxId", parked[0].Str("lastError"), StringComparison.Ordinal);

        var replay = await (await admin.PostAsync("/api/admin/queues/deliver/poison/replay", null)).JsonAsync();
        Assert.Equal(1, replay.GetProperty("replayed").GetInt32());
        await Eventually.ReturnsAsync(async () => (await admin.GetJsonAsync("/api/admin/queues/deliver/poison")).GetProperty("items").GetArrayLength(), n => n == 1, because: "replayed, it fails again and is parked again");

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/admin/queues/nope/poison")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.GetAsync("/api/admin/queues/deliver/poison")).StatusCode); // a client key is not an operator key
    }

    [Fact]
    public async Task HealthAndReadyAnswer()
    {
        await using var app = await SalesFlowAppProcess.StartAsync();
        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        var ready = await (await anonymous.GetAsync("/ready")).JsonAsync();
        Assert.Equal("ready", ready.Str("status"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/")).StatusCode);
    }
}

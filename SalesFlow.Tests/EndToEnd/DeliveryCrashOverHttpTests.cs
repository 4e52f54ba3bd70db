using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;
using Xunit.Abstractions;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// Issue 12's exactly-once effect on the real process (SQLite, embedded queue), killed with kill -9 (Process.Kill) and
/// restarted on the same data folder, against an in-test Graph API server: a delivery cut off during its vendor call
/// is never sent again (in doubt, settled by the vendor's status report), rounds of traffic killed at random moments
/// lose no acknowledged message and send no reply twice, and a storm of duplicate webhooks sends one reply.
/// </summary>
public sealed class DeliveryCrashOverHttpTests(ITestOutputHelper output)
{
    private const string PhoneNumberId = "106540352242922"; // the phone_number_id in the webhooks' metadata
    private const string AccessToken = "EAAG-crash-access-token-5c5c";

    /// <summary>The shortest lease DeliveryOptions accepts: a claim cut off by the kill is judged in doubt soon.</summary>
    private const string ShortestSendingLease = "00:00:10";

    private static readonly string[] Settled = ["sent", "delivered", "read", "in_doubt"];

    private static async Task<SalesFlowAppProcess> StartAppAsync(WhatsAppGraphServer graph)
    {
        var app = await SalesFlowAppProcess.StartAsync(new()
        {
            ["WhatsApp__GraphBaseUrl"] = graph.BaseUrlSetting,
            ["WhatsApp__GraphVersion"] = "v23.0",
            ["Delivery__SendingLease"] = ShortestSendingLease,
        });
        using var response = await app.Http.PatchAsync(
            "/api/clients/demo/config",
            new StringContent($$"""{ "whatsapp": { "phoneNumberId": "{{PhoneNumberId}}", "accessToken": "{{AccessToken}}" } }""", Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return app;
    }

    private static string NewWaId() => "4917" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    private static HttpRequestMessage Inbound(byte[] body) => Webhooks.SignedWhatsApp("demo", body, SalesFlowAppProcess.WhatsAppAppSecret);

    private static async Task<JsonElement[]> AllOutboxAsync(SalesFlowAppProcess app) =>
        (await app.Http.GetJsonAsync("/api/outbox?limit=1000")).GetProperty("items").EnumerateArray().ToArray();

    /// <summary>The vendor's send calls per outbox id (our sends attach it as biz_opaque_callback_data).</summary>
    private static Dictionary<string, int> SendsPerOutboxId(WhatsAppGraphServer graph) =>
        graph.Sends.GroupBy(s => s.Json?["biz_opaque_callback_data"]?.GetValue<string>() ?? "(none)").ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task ADeliveryKilledDuringItsVendorCallIsNeverSentAgainButMarkedInDoubtAndSettledByTheVendorsStatusReport()
    {
        await using var graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, AccessToken);
        await using var app = await StartAppAsync(graph);
        // The vendor holds its answer to the first send: the app is killed while it waits.
        graph.Enqueue(new VendorResponse(200, Delay: TimeSpan.FromMinutes(2)));
        var waId = NewWaId();

        using var webhook = await app.Http.SendAsync(Inbound(Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hi, what does your CRM cost for 5 users?")));
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        var send = (await Eventually.ReturnsAsync(() => Task.FromResult(graph.Sends), s => s.Count == 1, TimeSpan.FromSeconds(30), "the reply's send reaches the vendor"))[0];
        await app.KillAsync();
        var outboxId = send.Json!["biz_opaque_callback_data"]!.GetValue<string>();

        await app.RestartAsync();

        var item = (await Eventually.ReturnsAsync(
            async () => (await AllOutboxAsync(app)).Where(i => i.Str("id") == outboxId).ToArray(),
            i => i.Length == 1 && i[0].Str("status") == "in_doubt",
            TimeSpan.FromSeconds(45),
            "the claim cut off by the kill runs out and the item is judged in doubt"))[0];
        Assert.Contains("in doubt", item.Str("error"), StringComparison.Ordinal);
        Assert.Equal(1, SendsPerOutboxId(graph)[outboxId]);

        // Meta's status report echoes our outbox id: it settles the item and names the vendor's message id.
        var wamid = "wamid." + Guid.NewGuid().ToString("N");
        using var status = await app.Http.SendAsync(Inbound(Webhooks.WhatsAppStatus(wamid, "delivered", waId, outboxId)));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var settled = (await AllOutboxAsync(app)).Single(i => i.Str("id") == outboxId);
        Assert.Equal(("delivered", wamid), (settled.Str("status"), settled.Str("providerMessageId")));
        Assert.Single(graph.Sends);
    }

    [Fact]
    public async Task RoundsOfInboundTrafficKilledAtRandomMomentsAnswerEveryAcknowledgedMessageOnceAndSendNoReplyTwice()
    {
        const int Rounds = 5;
        const int LeadsPerRound = 8;
        await using var graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, AccessToken);
        // A slow vendor widens the window in which a kill cuts a send off after the vendor has it.
        graph.SuccessDelay = TimeSpan.FromMilliseconds(300);
        await using var app = await StartAppAsync(graph);
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var leads = new List<string>();
        var redelivered = 0;

        for (var round = 1; round <= Rounds; round++)
        {
            var deliveries = Enumerable.Range(0, LeadsPerRound)
                .Select(_ => NewWaId())
                .Select(waId => (WaId: waId, Body: Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), $"Hi, round {round}: do you have a plan for small teams?")))
                .ToArray();
            leads.AddRange(deliveries.Select(d => d.WaId));
            // Spread over the window the kill falls in: some arrive before it, some are cut off, some find no app.
            var posting = deliveries.Select(async d =>
            {
                await Task.Delay(random.Next(0, 1500));
                try
                {
                    using var response = await app.Http.SendAsync(Inbound(d.Body));
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // the kill cut the request off, or no app listened
                }
            }).ToArray();

            await Task.Delay(random.Next(0, 1500));
            await app.KillAsync();
            var acknowledged = await Task.WhenAll(posting);
            await app.RestartAsync();

            // Meta delivers again what was not answered 200; the ones stored before the kill are recognised.
            foreach (var (delivery, ok) in deliveries.Zip(acknowledged))
            {
                if (!ok)
                {
                    redelivered++;
                    using var again = await app.Http.SendAsync(Inbound(delivery.Body));
                    Assert.Equal(HttpStatusCode.OK, again.StatusCode);
                }
            }
        }

        var items = await Eventually.ReturnsAsync(
            () => AllOutboxAsync(app),
            i => i.Length >= leads.Count && i.All(x => Settled.Contains(x.Str("status"))),
            TimeSpan.FromSeconds(60),
            "every reply is sent, or in doubt once its cut-off claim runs out (none pending forever)");

        var sends = SendsPerOutboxId(graph);
        var inDoubt = items.Count(i => i.Str("status") == "in_doubt");
        output.WriteLine($"seed {seed}: {Rounds} rounds, {leads.Count} leads, {redelivered} webhooks redelivered, {graph.Sends.Count} vendor sends, {items.Length} replies, {inDoubt} in doubt");
        Assert.All(leads, waId => Assert.Single(items, i => i.Str("recipient") == "+" + waId && i.Str("purpose") == "reply"));
        Assert.Equal(leads.Count, items.Length);
        Assert.All(sends, s => Assert.True(s.Value <= 1, $"{s.Key} was sent {s.Value} times"));
        Assert.All(sends.Keys, id => Assert.Contains(items, i => i.Str("id") == id));
        Assert.All(items.Where(i => i.Str("status") != "in_doubt"), i => Assert.Equal(1, sends.GetValueOrDefault(i.Str("id"))));
    }

    [Fact]
    public async Task FiftyConcurrentCopiesOfOneWebhookStoreOneMessageAndSendOneReply()
    {
        await using var graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, AccessToken);
        await using var app = await StartAppAsync(graph);
        var waId = NewWaId();
        var body = Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hi, can I book a demo for Thursday?");

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await app.Http.SendAsync(Inbound(body));
            return response.StatusCode;
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
        var reply = (await Eventually.ReturnsAsync(() => AllOutboxAsync(app), i => i.Length == 1 && i[0].Str("status") == "sent", TimeSpan.FromSeconds(30), "the reply is sent"))[0];
        await Task.Delay(2000); // a late duplicate turn or delivery would show within this
        Assert.Single(await AllOutboxAsync(app));
        Assert.Equal(1, Assert.Single(SendsPerOutboxId(graph)).Value);
        var conversation = await app.Http.GetJsonAsync($"/api/conversations/{reply.Str("conversationId")}");
        Assert.Single(conversation.GetProperty("messages").EnumerateArray(), m => m.Str("direction") == "inbound");
    }
}

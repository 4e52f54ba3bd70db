using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Common;
using SalesFlow.Core.Integration;
using SalesFlow.Core.Leads;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// A hot-lead alert on the real app (in-process Kestrel, embedded store and queue) to an in-test SendGrid v3 Mail Send
/// API (its wire format: SendGridApiServer): the event, reported twice as a re-run turn would, becomes one POST
/// /v3/mail/send per alert address with the client's key, a text/plain and a text/html part.
/// </summary>
public sealed class AlertsOverHttpTests : IAsyncLifetime
{
    private const string ApiKey = "SG.demo-alerts-key-5c5c";

    private SendGridApiServer _sendGrid = null!;
    private InProcessApp _app = null!;

    public async Task InitializeAsync()
    {
        _sendGrid = await SendGridApiServer.StartAsync(ApiKey);
        _app = await InProcessApp.StandaloneAsync(new() { ["SendGrid:ApiBaseUrl"] = _sendGrid.BaseUrlSetting });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    [Fact]
    public async Task AHotLeadReportedTwiceReachesTheAlertAddressThroughSendGridExactlyOnceAsTextAndHtml()
    {
        using var patch = await _app.Http.PatchAsync(
            "/api/clients/demo/config",
            new StringContent($$"""{ "email": { "fromAddress": "sales@demo.example", "fromName": "Demo Sales", "sendGridApiKey": "{{ApiKey}}" }, "alerts": { "emails": ["owner@demo.example"] } }""", Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        var now = DateTimeOffset.UtcNow;
        var (lead, _) = await _app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync(
            "demo", IdentityKind.Email, $"anna.{Guid.NewGuid():N}@kunde.example", () => new Lead { Id = Ids.New("lead"), ClientId = "demo", Name = "Anna <Schmidt>", CreatedAt = now, UpdatedAt = now }, default);

        var events = _app.Services.GetRequiredService<IIntegrationEvents>();
        var hot = new LeadBecameHot("demo", lead.Id, now, ThroughSeq: 3, Score: 0.9);
        await events.PublishAsync(hot, default);
        await events.PublishAsync(hot, default);

        var alert = (await Eventually.ReturnsAsync(
            async () => (await _app.Http.OutboxAsync()).Where(i => i.Str("purpose") == "alert").ToArray(),
            a => a.Length == 1 && a[0].Str("status") == "sent",
            because: "the alert is delivered through SendGrid"))[0];

        var call = Assert.Single(_sendGrid.Sends);
        Assert.Equal($"Bearer {ApiKey}", call.Headers["Authorization"]);
        var body = call.Json!;
        Assert.Equal("owner@demo.example", body["personalizations"]![0]!["to"]![0]!["email"]!.GetValue<string>());
        Assert.Equal("🔥 Hot lead: Anna <Schmidt>", body["subject"]!.GetValue<string>());
        var content = body["content"]!.AsArray();
        Assert.Equal(["text/plain", "text/html"], content.Select(c => c!["type"]!.GetValue<string>()));
        Assert.Contains("Anna <Schmidt> is now a hot lead", content[0]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Anna &lt;Schmidt&gt; is now a hot lead", content[1]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(alert.Str("id"), body["custom_args"]!["outbox_id"]!.GetValue<string>());
        Assert.Equal(_sendGrid.MessageIds.Single(), alert.Str("providerMessageId"));

        // The alert is about the lead, not to it: the lead's own listing does not show it.
        Assert.DoesNotContain(await _app.Http.OutboxAsync(lead.Id), i => i.Str("purpose") == "alert");
    }
}

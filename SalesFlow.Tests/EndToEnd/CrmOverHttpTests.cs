using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Common;
using SalesFlow.Core.Crm;
using SalesFlow.Core.Leads;
using SalesFlow.Infrastructure.Signatures;
using SalesFlow.Tests.Support;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// The CRM on the real app (in-process, embedded store and queue, HubSpot:ApiBaseUrl at an in-test HubSpot): a lead's
/// WhatsApp message ends up as a HubSpot contact through the reaction, the sync-crm queue and the adapter;
/// GET /api/leads/{id}/crm shows it; HubSpot's signed webhooks (v3, over the public URL behind the proxy) set the outcome.
/// </summary>
public sealed class CrmOverHttpTests : IAsyncLifetime
{
    private const string Token = "pat-eu1-demo-token-5c5c";
    private const string ClientSecret = "hubspot-app-client-secret-7d7d";
    private const string PublicBaseUrl = "https://salesflow.example.com";

    private HubSpotApiServer _hubspot = null!;
    private InProcessApp _app = null!;

    public async Task InitializeAsync()
    {
        _hubspot = await HubSpotApiServer.StartAsync(Token);
        _app = await InProcessApp.StandaloneAsync(new()
        {
            ["HubSpot:ApiBaseUrl"] = _hubspot.BaseUrlSetting,
            ["SalesFlow:PublicBaseUrl"] = PublicBaseUrl,
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _hubspot.DisposeAsync();
    }

    private async Task ConfigureHubSpotAsync()
    {
        var json = $$"""{ "hubspot": { "accessToken": "{{Token}}", "clientSecret": "{{ClientSecret}}", "stageMap": { "won": "closedwon", "lost": "closedlost" } } }""";
        using var response = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<Lead> LeadWithDealAsync(string clientId = "demo", string dealId = "9001")
    {
        var now = DateTimeOffset.UtcNow;
        var (lead, _) = await _app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync(
            clientId, IdentityKind.Email, $"lead.{Guid.NewGuid():N}@kunde.example", () => new Lead { Id = Ids.New("lead"), ClientId = clientId, CreatedAt = now, UpdatedAt = now }, default);
        await _app.Services.GetRequiredService<ICrmLinkStore>().SaveAsync(
            CrmLink.New(clientId, lead.Id) with { ContactId = "5001", DealId = dealId, DealStage = "presentationscheduled", LastSyncedAt = now, LastSyncedState = "value_proposition" }, default);
        return lead;
    }

    private static byte[] DealStageEvent(string dealId, string stage, DateTimeOffset occurredAt, long eventId = 100) => Encoding.UTF8.GetBytes($$"""
        [{"eventId":{{eventId}},"subscriptionId":25,"portalId":33,"appId":1160452,"occurredAt":{{occurredAt.ToUnixTimeMilliseconds()}},"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":{{dealId}},"propertyName":"dealstage","propertyValue":"{{stage}}","changeSource":"CRM_UI"}]
        """);

    /// <summary>Signed as HubSpot signs v3: over the URL it called (the public one), the body and the timestamp.</summary>
    private HttpRequestMessage SignedWebhook(byte[] body, string secret = ClientSecret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/hubspot/demo") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(HubSpotSignature.TimestampHeaderName, timestamp);
        request.Headers.Add(HubSpotSignature.V3HeaderName, HubSpotSignature.ComputeV3(secret, "POST", PublicBaseUrl + "/api/webhooks/hubspot/demo", body, timestamp));
        return request;
    }

    [Fact]
    public async Task A_qualified_leads_whatsapp_message_reaches_HubSpot_as_a_contact_with_the_configured_token_and_the_crm_api_shows_it()
    {
        await ConfigureHubSpotAsync();
        var waId = "4917044" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);

        using var webhook = await _app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"),
            "Hi, I'm Anna, CTO at Acme GmbH. Our budget is 50k EUR, we need a CRM this quarter and I decide. Can we book a demo?"), SalesFlowAppProcess.WhatsAppAppSecret));
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);

        HubSpotApiServer.CrmObject contact;
        try
        {
            contact = (await Eventually.ReturnsAsync(() => Task.FromResult(_hubspot.Contacts.Values.ToArray()), c => c.Length == 1, because: "the sync-crm queue upserts the contact"))[0];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var outbox = await _app.Http.OutboxAsync();
            var lead = outbox.FirstOrDefault(i => i.Str("recipient") == "+" + waId);
            var crmState = lead.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "no reply" : (await _app.Http.GetJsonAsync($"/api/leads/{lead.Str("leadId")}/crm")).ToString();
            throw new Xunit.Sdk.XunitException($"{e.Message}; HubSpot calls: {string.Join(", ", _hubspot.Received.Select(r => $"{r.Method} {r.Path}"))}; crm: {crmState}");
        }

        Assert.Equal("+" + waId, contact.Properties["phone"]);
        Assert.Contains("ai_next_best_action", contact.Properties.Keys);
        Assert.All(_hubspot.Received, r => Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]));

        var leadId = (await _app.Http.OutboxAsync()).First(i => i.Str("recipient") == "+" + waId).Str("leadId");
        var crm = await Eventually.ReturnsAsync(() => _app.Http.GetJsonAsync($"/api/leads/{leadId}/crm"), c => c.GetProperty("lastSyncedAt").ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.True(crm.GetProperty("configured").GetBoolean());
        Assert.Equal(contact.Id, crm.Str("contactId"));
    }

    [Fact]
    public async Task The_crm_api_shows_ids_last_sync_error_and_outcome_and_answers_404_for_a_lead_of_another_client()
    {
        await ConfigureHubSpotAsync();
        var lead = await LeadWithDealAsync();
        var links = _app.Services.GetRequiredService<ICrmLinkStore>();
        var link = (await links.GetAsync("demo", lead.Id, default))!;
        await links.SaveAsync(link with { LastError = "HubSpot 503 SERVICE_UNAVAILABLE: down", LastFailedAt = DateTimeOffset.UtcNow, Attempts = 2 }, default);
        var other = await LeadWithDealAsync("globex", "9002");

        var crm = await _app.Http.GetJsonAsync($"/api/leads/{lead.Id}/crm");

        Assert.True(crm.GetProperty("configured").GetBoolean());
        Assert.Equal(("5001", "9001", "value_proposition", "HubSpot 503 SERVICE_UNAVAILABLE: down"), (crm.Str("contactId"), crm.Str("dealId"), crm.Str("lastSyncedState"), crm.Str("lastError")));
        Assert.False(crm.GetProperty("errorIsPermanent").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, crm.GetProperty("outcome").ValueKind);
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync($"/api/leads/{other.Id}/crm"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync("/api/leads/lead_nope/crm"), HttpStatusCode.NotFound, "id");
    }

    [Fact]
    public async Task Without_a_hubspot_config_the_crm_api_says_not_configured()
    {
        var lead = await LeadWithDealAsync();

        var crm = await _app.Http.GetJsonAsync($"/api/leads/{lead.Id}/crm");

        Assert.False(crm.GetProperty("configured").GetBoolean());
        Assert.Contains("nothing is synced", crm.Str("note"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deal_marked_won_in_HubSpot_sets_the_leads_outcome_once_and_a_duplicate_event_changes_nothing()
    {
        await ConfigureHubSpotAsync();
        var lead = await LeadWithDealAsync();
        var at = DateTimeOffset.UtcNow.AddSeconds(-5);

        using var first = await _app.Http.SendAsync(SignedWebhook(DealStageEvent("9001", "closedwon", at)));
        using var duplicate = await _app.Http.SendAsync(SignedWebhook(DealStageEvent("9001", "closedwon", at)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, (await first.JsonAsync()).GetProperty("applied").GetInt32());
        Assert.Equal(0, (await duplicate.JsonAsync()).GetProperty("applied").GetInt32());
        var outcome = (await _app.Http.GetJsonAsync($"/api/leads/{lead.Id}/crm")).GetProperty("outcome");
        Assert.Equal(("won", "hubspot"), (outcome.Str("outcome"), outcome.Str("source")));
        Assert.Equal(at.ToUnixTimeMilliseconds(), outcome.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds());

        using var lost = await _app.Http.SendAsync(SignedWebhook(DealStageEvent("9001", "closedlost", at.AddSeconds(2), 101)));
        Assert.Equal("lost", (await _app.Http.GetJsonAsync($"/api/leads/{lead.Id}/crm")).GetProperty("outcome").Str("outcome"));
    }

    [Fact]
    public async Task A_forged_or_stale_HubSpot_webhook_is_401_problem_json_and_changes_nothing()
    {
        await ConfigureHubSpotAsync();
        var lead = await LeadWithDealAsync();
        var body = DealStageEvent("9001", "closedwon", DateTimeOffset.UtcNow);

        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(SignedWebhook(body, secret: "not-the-client-secret")), HttpStatusCode.Unauthorized, HubSpotSignature.V3HeaderName);
        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(SignedWebhook(body, at: DateTimeOffset.UtcNow.AddMinutes(-6))), HttpStatusCode.Unauthorized, HubSpotSignature.TimestampHeaderName);
        var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/hubspot/demo") { Content = new ByteArrayContent(body) };
        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(unsigned), HttpStatusCode.Unauthorized, HubSpotSignature.V3HeaderName);

        Assert.Null(await _app.Services.GetRequiredService<ILeadOutcomeStore>().GetAsync("demo", lead.Id, default));
    }

    [Fact]
    public async Task An_event_for_a_deal_SalesFlow_does_not_know_is_ignored_with_200_and_a_body_that_is_no_event_array_is_400()
    {
        await ConfigureHubSpotAsync();

        using var unknown = await _app.Http.SendAsync(SignedWebhook(DealStageEvent("424242", "closedwon", DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal((0, 1), ((await unknown.JsonAsync()).GetProperty("applied").GetInt32(), (await unknown.JsonAsync()).GetProperty("ignored").GetInt32()));

        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(SignedWebhook(Encoding.UTF8.GetBytes("{\"not\":\"an array\"}"))), HttpStatusCode.BadRequest, "body");
    }
}

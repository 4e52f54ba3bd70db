using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using SalesFlow.Core.Clients;
using SalesFlow.Functions.Security;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Channels.Signatures;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// The client config API over HTTP on the real app (in-process Kestrel, SQLite in a temp folder): the demo client
/// ("demo", <see cref="SalesFlowAppProcess.ApiKey"/>) and one more client created through the admin API per test.
/// </summary>
public sealed class ClientConfigOverHttpTests : IAsyncLifetime
{
    private const string AdminKey = "test-config-admin-key";
    private const string Demo = "demo";

    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync(new() { ["SalesFlow:AdminKey"] = AdminKey });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient As(string key)
    {
        var http = new HttpClient { BaseAddress = _app.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient http, string clientId, string json, string contentType = Functions.Apis.ClientConfigApi.MergePatchContentType) =>
        http.PatchAsync($"/api/clients/{clientId}/config", new StringContent(json, Encoding.UTF8, contentType));

    private async Task<(string Id, string ApiKey)> NewClientAsync()
    {
        using var admin = As(AdminKey);
        var id = "globex-" + Guid.NewGuid().ToString("N")[..6];
        var created = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id, name = "Globex" })).JsonAsync();
        return (id, created.Str("apiKey"));
    }

    [Fact]
    public async Task AClientSeesItsDefaultsThenItsPatchWithEverySecretMasked()
    {
        var before = await _app.Http.GetJsonAsync($"/api/clients/{Demo}/config");
        Assert.Equal(["PT1H", "P1D", "P3D", "P7D"], before.GetProperty("followUps").GetProperty("cadence").EnumerateArray().Select(e => e.GetString()));
        Assert.False(before.TryGetProperty("whatsapp", out _));

        var patched = await PatchAsync(_app.Http, Demo, """
            { "whatsapp": { "phoneNumberId": "106540352242922", "accessToken": "EAAG-token-1a2b", "appSecret": "configured-meta-secret" },
              "twilio": { "authToken": "twilio-token-7f7f" },
              "followUps": { "cadence": ["PT5S", "PT1H"] },
              "quietHours": { "start": "21:00", "end": "08:00", "weekends": true },
              "timeZone": "Europe/Berlin", "language": "de" }
            """);

        var body = await patched.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var shown = await _app.Http.GetJsonAsync($"/api/clients/{Demo}/config");
        var whatsapp = shown.GetProperty("whatsapp");
        Assert.Equal(("106540352242922", "••••1a2b", "••••cret"), (whatsapp.Str("phoneNumberId"), whatsapp.Str("accessToken"), whatsapp.Str("appSecret")));
        Assert.Equal("••••7f7f", shown.GetProperty("twilio").Str("authToken"));
        Assert.Equal(["PT5S", "PT1H"], shown.GetProperty("followUps").GetProperty("cadence").EnumerateArray().Select(e => e.GetString()));
        Assert.True(shown.GetProperty("quietHours").GetProperty("weekends").GetBoolean());
        Assert.Equal("Europe/Berlin", shown.Str("timeZone"));
        foreach (var text in new[] { body, shown.GetRawText() })
        {
            Assert.DoesNotContain("configured-meta-secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("EAAG-token", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ABadPatchIsAProblemNamingTheFieldAndChangesNothing()
    {
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(_app.Http, Demo, """{ "language": "de" }""")).StatusCode);

        await ApiJson.AssertProblemAsync(await PatchAsync(_app.Http, Demo, """{ "language": "fr", "whatsapp": { "phoneNumberId": "abc" } }"""), HttpStatusCode.BadRequest, "whatsapp.phoneNumberId");
        await ApiJson.AssertProblemAsync(await PatchAsync(_app.Http, Demo, """{ "language": "fr", "whatsapp": { "phoneNumber": "1" } }"""), HttpStatusCode.BadRequest, "whatsapp.phoneNumber");
        await ApiJson.AssertProblemAsync(await PatchAsync(_app.Http, Demo, """{ "followUps": { "cadence": ["PT1H", "soon"] } }"""), HttpStatusCode.BadRequest, "followUps.cadence[1]");
        await ApiJson.AssertProblemAsync(await PatchAsync(_app.Http, Demo, """{ "language": "fr" }""", "application/json"), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await ApiJson.AssertProblemAsync(await PatchAsync(_app.Http, Demo, """{ "language": """), HttpStatusCode.BadRequest, "body");

        Assert.Equal("de", (await _app.Http.GetJsonAsync($"/api/clients/{Demo}/config")).Str("language"));
    }

    [Fact]
    public async Task AnotherClientsKeyGetsTheSameNotFoundAsAnUnknownIdAndTheOperatorKeyReachesEveryClient()
    {
        var (globex, globexKey) = await NewClientAsync();
        using var asGlobex = As(globexKey);

        var foreign = await asGlobex.GetAsync($"/api/clients/{Demo}/config");
        var unknown = await asGlobex.GetAsync("/api/clients/no-such-client/config");
        await ApiJson.AssertProblemAsync(foreign, HttpStatusCode.NotFound, "clientId");
        await ApiJson.AssertProblemAsync(unknown, HttpStatusCode.NotFound, "clientId");
        await ApiJson.AssertProblemAsync(await PatchAsync(asGlobex, Demo, """{ "language": "fr" }"""), HttpStatusCode.NotFound, "clientId");
        Assert.False((await _app.Http.GetJsonAsync($"/api/clients/{Demo}/config")).TryGetProperty("language", out _));
        await ApiJson.AssertProblemAsync(await As("sf_wrong").GetAsync($"/api/clients/{Demo}/config"), HttpStatusCode.Unauthorized, "Authorization");

        Assert.Equal(HttpStatusCode.OK, (await asGlobex.GetAsync($"/api/clients/{globex}/config")).StatusCode);
        using var admin = As(AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(admin, globex, """{ "language": "fr" }""")).StatusCode);
        Assert.Equal("fr", (await asGlobex.GetJsonAsync($"/api/clients/{globex}/config")).Str("language"));
    }

    [Fact]
    public async Task AfterTheAppSecretIsConfiguredAWebhookSignedWithItIsAcceptedAndOneSignedWithTheOldIsRefused()
    {
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(_app.Http, Demo, """{ "whatsapp": { "appSecret": "the-real-meta-app-secret" } }""")).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = _app.BaseUrl };

        var old = await anonymous.SendAsync(Webhooks.SignedWhatsApp(Demo, Webhooks.WhatsAppText("4917012345671", "wamid.cfg-old", "Hallo"), SalesFlowAppProcess.WhatsAppAppSecret));
        var configured = await anonymous.SendAsync(Webhooks.SignedWhatsApp(Demo, Webhooks.WhatsAppText("4917012345672", "wamid.cfg-new", "Hallo"), "the-real-meta-app-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
    }

    [Fact]
    public async Task AnAppSecretRotatedRightAfterAWebhookCountsOnTheNextWebhook()
    {
        // The webhooks keep the client's decrypted secrets for a moment; a change through the config API drops them at once.
        using var anonymous = new HttpClient { BaseAddress = _app.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(Webhooks.SignedWhatsApp(Demo, Webhooks.WhatsAppText("4917012345673", "wamid.rot-1", "Hallo"), SalesFlowAppProcess.WhatsAppAppSecret))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(_app.Http, Demo, """{ "whatsapp": { "appSecret": "the-rotated-meta-app-secret" } }""")).StatusCode);

        var old = await anonymous.SendAsync(Webhooks.SignedWhatsApp(Demo, Webhooks.WhatsAppText("4917012345673", "wamid.rot-2", "Hallo"), SalesFlowAppProcess.WhatsAppAppSecret));
        var rotated = await anonymous.SendAsync(Webhooks.SignedWhatsApp(Demo, Webhooks.WhatsAppText("4917012345673", "wamid.rot-3", "Hallo"), "the-rotated-meta-app-secret"));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (old.StatusCode, rotated.StatusCode));
    }

    [Fact]
    public async Task APatchWithAnOutdatedIfMatchIsRefusedAndOneWithTheCurrentETagLands()
    {
        var read = await _app.Http.GetAsync($"/api/clients/{Demo}/config");
        var etag = read.Headers.ETag!.ToString();
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(_app.Http, Demo, """{ "language": "de" }""")).StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/clients/{Demo}/config") { Content = new StringContent("""{ "language": "fr" }""", Encoding.UTF8, "application/merge-patch+json") };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        await ApiJson.AssertProblemAsync(await _app.Http.SendAsync(stale), HttpStatusCode.PreconditionFailed, "If-Match");

        using var current = new HttpRequestMessage(HttpMethod.Patch, $"/api/clients/{Demo}/config") { Content = new StringContent("""{ "language": "fr" }""", Encoding.UTF8, "application/merge-patch+json") };
        current.Headers.TryAddWithoutValidation("If-Match", (await _app.Http.GetAsync($"/api/clients/{Demo}/config")).Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await _app.Http.SendAsync(current)).StatusCode);
        Assert.Equal("fr", (await _app.Http.GetJsonAsync($"/api/clients/{Demo}/config")).Str("language"));
    }

    [Fact]
    public async Task ConcurrentPatchesAllLand()
    {
        var patches = Enumerable.Range(0, 8).Select(i => PatchAsync(_app.Http, Demo, $$"""{ "whatsapp": { "templates": { "purpose{{i}}": { "name": "template_{{i}}", "language": "de" } } } }"""));

        Assert.All(await Task.WhenAll(patches), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var templates = (await _app.Http.GetJsonAsync($"/api/clients/{Demo}/config")).GetProperty("whatsapp").GetProperty("templates");
        Assert.Equal(8, templates.EnumerateObject().Count());
    }

    [Fact]
    public async Task ARotatedKeyIsReturnedOnceAndWorksWhileTheOldOneStillWorksInItsGracePeriod()
    {
        var (globex, oldKey) = await NewClientAsync();
        using var admin = As(AdminKey);

        var rotated = await admin.PostAsync($"/api/admin/clients/{globex}/keys/rotate", null);
        var answer = await rotated.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newKey = answer.Str("apiKey");
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(HttpStatusCode.OK, (await As(newKey).GetAsync($"/api/clients/{globex}/config")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As(oldKey).GetAsync($"/api/clients/{globex}/config")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await As(oldKey).PostAsync($"/api/admin/clients/{globex}/keys/rotate", null)).StatusCode);
        await ApiJson.AssertProblemAsync(await admin.PostAsync("/api/admin/clients/no-such-client/keys/rotate", null), HttpStatusCode.NotFound, "clientId");
    }
}

/// <summary>The grace period of a rotated-out key, through the authenticator the API uses, over a real SQLite store.</summary>
public sealed class ApiKeyGracePeriodTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TheOldKeyAuthenticatesUntilTheGracePeriodEndsAndThenNoLonger()
    {
        var rotatedAt = DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var store = new SqliteClientStore(_temp.Db, TimeProvider.System);
        Assert.True(await store.TryCreateAsync(new Client("acme", "Acme", ClientAuthenticator.HashKey("sf_old"), new ClientChannelSecrets("a", "b", "c", "d")), default));
        var acme = (await store.GetAsync("acme", default))!;
        await store.ReplaceAsync(acme with { ApiKeyHash = ClientAuthenticator.HashKey("sf_new"), PreviousApiKeyHash = acme.ApiKeyHash, PreviousApiKeyExpiresAt = rotatedAt + Functions.Apis.ClientConfigApi.ApiKeyGracePeriod }, default);

        Task<Client?> AuthenticateAsync(string key, TimeSpan after)
        {
            var http = new DefaultHttpContext();
            http.Request.Headers.Authorization = "Bearer " + key;
            return new ClientAuthenticator(store, new FixedTimeProvider(rotatedAt + after)).AuthenticateAsync(http);
        }

        Assert.NotNull(await AuthenticateAsync("sf_old", TimeSpan.FromHours(23)));
        Assert.NotNull(await AuthenticateAsync("sf_new", TimeSpan.FromHours(25)));
        Assert.Null(await AuthenticateAsync("sf_old", TimeSpan.FromHours(24)));
        Assert.Null(await AuthenticateAsync("sf_old", TimeSpan.FromDays(30)));
    }
}

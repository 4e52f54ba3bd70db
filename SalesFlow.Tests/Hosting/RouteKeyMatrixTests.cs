using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using SalesFlow.Functions.Security;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// The key matrix, generated from the route table so a new route cannot be forgotten: the HTTP functions are anonymous
/// at the host (the console calls them from the browser), so the app's own key check is the gate on every route that
/// is not public on purpose. Each keyed route refuses no key and a wrong key, and another client's key never reaches
/// the demo client's lead or conversation.
/// </summary>
public sealed class RouteKeyMatrixTests : IAsyncLifetime
{
    private const string AdminKey = "route-matrix-admin-key";

    /// <summary>Public on purpose: probes, the console's static files, the API description, and callers that prove
    /// themselves otherwise (webhook signatures, the e-mail confirmation token).</summary>
    private static readonly string[] PublicPrefixes = ["/health", "/ready", "/console/", "/openapi/", "/api-reference", "/api/webhooks/", "/api/verify/"];

    private InProcessApp _app = null!;
    private HttpClient _globex = null!;
    private string _leadId = "";
    private string _conversationId = "";

    public async Task InitializeAsync()
    {
        _app = await InProcessApp.StandaloneAsync(new() { ["SalesFlow:AdminKey"] = AdminKey });
        using var admin = Client(AdminKey);
        var globex = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "globex", name = "Globex", defaultCountryCode = "1" })).JsonAsync();
        _globex = Client(globex.Str("apiKey"));
        var started = await (await _app.Http.PostAsJsonAsync("/api/conversations", new { channel = "sms", from = "+14155550123", name = "Matrix Lead", message = "Hi, what does it cost?" })).JsonAsync();
        _conversationId = started.Str("conversationId");
        _leadId = started.Str("leadId");
    }

    public async Task DisposeAsync()
    {
        _globex.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public void EveryRouteThatIsNotPublicOnPurposeRequiresAKey()
    {
        var unguarded = Routes().Where(r => r.Key is null && !IsPublic(r.Pattern)).Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(unguarded.Count == 0, "routes without a key check: " + string.Join(", ", unguarded));
        var guardedPublic = Routes().Where(r => r.Key is not null && IsPublic(r.Pattern)).Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(guardedPublic.Count == 0, "public routes that ask for a key: " + string.Join(", ", guardedPublic));
    }

    [Fact]
    public async Task EveryKeyedRouteRefusesNoKeyAndAWrongKeyWithProblemJson()
    {
        using var anonymous = Client(null);
        using var wrong = Client("sf_not_a_key");
        List<string> failures = [];
        foreach (var route in Routes().Where(r => r.Key is not null))
        {
            foreach (var (who, http) in new[] { ("no key", anonymous), ("wrong key", wrong) })
            {
                var response = await http.SendAsync(Request(route.Method, route.Path));
                if (response.StatusCode != HttpStatusCode.Unauthorized || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{route.Method} {route.Pattern} with {who}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AKeyRotatedOutTwiceIsRevokedOnEveryClientRoute()
    {
        // One rotation leaves the old key a 24-hour grace period; the next rotation replaces that slot, so the first
        // key is then revoked at once.
        using var admin = Client(AdminKey);
        using var revoked = Client(_globex.DefaultRequestHeaders.Authorization!.Parameter);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/admin/clients/globex/keys/rotate", null)).StatusCode);
        }

        List<string> failures = [];
        foreach (var route in Routes().Where(r => r.Key == BearerKeyRequirement.ClientKey || r.Key == BearerKeyRequirement.ClientOrAdminKey))
        {
            var response = await revoked.SendAsync(Request(route.Method, route.Path.Replace("/x1/config", "/globex/config", StringComparison.Ordinal)));
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
            }
        }

        Assert.Contains(Routes(), r => r.Key == BearerKeyRequirement.ClientKey);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task TheClientKeyDoesNotOpenAdminRoutes()
    {
        List<string> failures = [];
        foreach (var route in Routes().Where(r => r.Key == BearerKeyRequirement.AdminKey))
        {
            var response = await _app.Http.SendAsync(Request(route.Method, route.Path));
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                failures.Add($"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
            }
        }

        Assert.Contains(Routes(), r => r.Key == BearerKeyRequirement.AdminKey);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AnotherClientsKeyNeverReachesTheDemoClientsLeadOrConversation()
    {
        var aimed = Routes().Where(r => r.Key is not null && (r.Pattern.StartsWith("/api/leads/{", StringComparison.Ordinal) || r.Pattern.StartsWith("/api/conversations/{", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(aimed);
        List<string> failures = [];
        foreach (var route in aimed)
        {
            var id = route.Pattern.StartsWith("/api/leads/", StringComparison.Ordinal) ? _leadId : _conversationId;
            var path = route.Path.Replace("/x1", "/" + id, StringComparison.Ordinal);
            var response = await _globex.SendAsync(Request(route.Method, path));
            if (response.IsSuccessStatusCode)
            {
                failures.Add($"{route.Method} {route.Pattern}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Nothing globex tried changed the demo lead: it is still there, not escalated, not erased.
        var lead = await _app.Http.GetJsonAsync($"/api/leads/{_leadId}");
        Assert.False(lead.GetProperty("escalated").GetBoolean());
    }

    private HttpClient Client(string? key)
    {
        var http = new HttpClient { BaseAddress = _app.BaseUrl };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    private static bool IsPublic(string pattern) => pattern == "/" || PublicPrefixes.Any(p => pattern.StartsWith(p, StringComparison.Ordinal));

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json") };

    private List<(string Pattern, string Method, string Path, BearerKeyRequirement? Key)> Routes() =>
        [.. RouteTable.Of(_app.Services).Select(r => (r.Pattern, r.Method, r.PathWith(_ => "x1"), r.Key))];
}

using System.Net;
using System.Text.RegularExpressions;
using SalesFlow.Functions.Apis;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Browser;

/// <summary>The console's files over plain HTTP from the real app: what a browser fetches, with the headers it needs.</summary>
[Collection(ConsoleBrowserFixture.Collection)]
public sealed partial class ConsoleServingTests(ConsoleBrowserFixture browser)
{
    [Fact]
    public async Task TheRootServesTheConsoleAndEveryAssetItLinksTransitively()
    {
        using var http = browser.App.Anonymous();
        var root = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ConsoleApi.ContentSecurityPolicy, root.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(root.Headers.CacheControl?.NoCache);

        var seen = new HashSet<string>();
        var pending = new Queue<string>(Links(await root.Content.ReadAsStringAsync(), "/"));
        Assert.Contains("/console/app.js", pending);
        Assert.Contains("/console/app.css", pending);
        while (pending.TryDequeue(out var path))
        {
            if (!seen.Add(path))
            {
                continue;
            }

            var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            var expected = path.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : path.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/html";
            Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
            if (expected == "text/javascript")
            {
                foreach (var import in Imports(await response.Content.ReadAsStringAsync(), path))
                {
                    pending.Enqueue(import);
                }
            }
        }

        Assert.Contains("/console/i18n.js", seen);
        Assert.Contains("/console/api.js", seen);
        Assert.Contains("/console/dom.js", seen);
    }

    [Fact]
    public async Task AnAssetAnswers304ToItsOwnETag()
    {
        using var http = browser.App.Anonymous();
        var first = await http.GetAsync("/console/app.js");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/app.js");
        again.Headers.IfNoneMatch.Add(etag);
        var second = await http.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.True(first.Headers.CacheControl?.NoCache);
    }

    [Theory]
    [InlineData("/console/%2e%2e/appsettings.json")]
    [InlineData("/console/..%2fappsettings.json")]
    [InlineData("/console/..%5cappsettings.json")]
    [InlineData("/console/pages/%2e%2e/%2e%2e/SalesFlow.Functions.dll")]
    [InlineData("/console/.hidden")]
    [InlineData("/console/pages")]
    [InlineData("/console/")]
    [InlineData("/console/nope.js")]
    public async Task NothingOutsideTheConsoleFolderIsServed(string path)
    {
        using var http = browser.App.Anonymous();

        var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task MeTellsTheKeysClientAndRefusesAWrongKey()
    {
        var me = await browser.App.Http.GetJsonAsync("/api/me");
        using var anonymous = browser.App.Anonymous();
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "sf_wrong");

        Assert.Equal("demo", me.Str("clientId"));
        Assert.False(string.IsNullOrEmpty(me.Str("name")));
        await ApiJson.AssertProblemAsync(await anonymous.GetAsync("/api/me"), HttpStatusCode.Unauthorized, "Authorization");
    }

    private static IEnumerable<string> Links(string html, string basePath) =>
        HtmlLink().Matches(html).Select(m => m.Groups[1].Value).Where(v => v.StartsWith('/')).Select(v => Resolve(basePath, v));

    /// <summary>Static imports (import … from './x.js') and literal dynamic ones; the router's per-page imports are templates.</summary>
    private static IEnumerable<string> Imports(string script, string basePath) =>
        JsImport().Matches(script).Select(m => m.Groups[1].Value).Where(v => !v.Contains('$')).Select(v => Resolve(basePath, v));

    private static string Resolve(string basePath, string reference) => new Uri(new Uri("http://x" + basePath), reference).AbsolutePath;

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex HtmlLink();

    [GeneratedRegex("""(?:from|import\()\s*'([^']+)'""")]
    private static partial Regex JsImport();
}

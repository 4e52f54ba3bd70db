using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>The real app started with small knowledge quotas (set through its environment), one fresh client per test.</summary>
public sealed class KnowledgeQuotaAppFixture : IAsyncLifetime
{
    public const string AdminKey = "test-quota-admin-key";

    public SalesFlowAppProcess App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await SalesFlowAppProcess.StartAsync(new()
    {
        ["SALESFLOW_ADMIN_KEY"] = AdminKey,
        ["Knowledge__MaxBasesPerClient"] = "2",
        ["Knowledge__MaxDocumentsPerClient"] = "1",
        ["Knowledge__MaxChunksPerClient"] = "4",
        // Small chunks and a low inline limit, so a few paragraphs make many chunks and go to the queue.
        ["Knowledge__ChunkTokens"] = "64",
        ["Knowledge__ChunkOverlapTokens"] = "0",
        ["Knowledge__InlineIngestTokens"] = "200",
    });

    public Task DisposeAsync() => App.DisposeAsync().AsTask();

    /// <summary>A new client of its own (its usage starts at zero) and an HTTP client authenticated as it.</summary>
    public async Task<HttpClient> NewClientAsync()
    {
        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var created = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "quota-" + Guid.NewGuid().ToString("N")[..8], name = "Quota test" })).JsonAsync();
        var http = App.Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Str("apiKey"));
        return http;
    }
}

/// <summary>Knowledge quotas over HTTP: a 409 problem+json naming the limit and the field, and nothing stored.</summary>
public sealed class KnowledgeQuotaOverHttpTests(KnowledgeQuotaAppFixture fixture) : IClassFixture<KnowledgeQuotaAppFixture>
{
    private static async Task AssertQuotaProblemAsync(HttpResponseMessage response, string limit, long maximum, string field)
    {
        await ApiJson.AssertProblemAsync(response, HttpStatusCode.Conflict, field);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Equal((limit, maximum, field), (problem.Str("limit"), problem.GetProperty("maximum").GetInt64(), problem.Str("field")));
        Assert.Contains(limit, problem.Str("title"), StringComparison.Ordinal);
    }

    private static async Task<(int Documents, int Faqs, int Chunks)> StatsAsync(HttpClient http, string kb)
    {
        var stats = await http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats");
        return (stats.GetProperty("documents").GetInt32(), stats.GetProperty("faqs").GetInt32(), stats.GetProperty("chunks").GetInt32());
    }

    [Fact]
    public async Task BeyondEachQuotaTheApiAnswers409NamingTheLimitAndFieldAndStoresNothingWhileAReplacementAtTheLimitSucceeds()
    {
        using var http = await fixture.NewClientAsync();
        var kb = (await http.PostJsonAsync("/api/knowledge/bases", new { name = "Products" })).Str("id");

        using var terms = await http.PostAsync($"/api/knowledge/bases/{kb}/documents?id=terms", new StringContent("Returns are accepted within 30 days.", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Created, terms.StatusCode);
        await AssertQuotaProblemAsync(await http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/documents", new { id = "prices", contentType = "text/plain", content = "Starter costs 49 euros." }), "Knowledge:MaxDocumentsPerClient", 1, "content");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/knowledge/bases/{kb}/documents/prices")).StatusCode);

        var faqs = new[] { new { id = "open", question = "When are you open?", answer = "Weekdays." }, new { id = "ship", question = "Do you ship?", answer = "Yes." }, new { id = "pay", question = "How can I pay?", answer = "Card." } };
        Assert.Equal(3, (await http.PostJsonAsync($"/api/knowledge/bases/{kb}/faqs/bulk", new { faqs })).GetProperty("imported").GetInt32());
        await AssertQuotaProblemAsync(await http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/faqs", new { id = "gift", question = "Gift cards?", answer = "Yes." }), "Knowledge:MaxChunksPerClient", 4, "question");
        await AssertQuotaProblemAsync(await http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/faqs/bulk", new { faqs = new[] { new { id = "gift", question = "Gift cards?", answer = "Yes." } } }), "Knowledge:MaxChunksPerClient", 4, "faqs");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/knowledge/bases/{kb}/documents/gift")).StatusCode);
        Assert.Equal((1, 3, 4), await StatsAsync(http, kb));

        // At the limit, a document replaced by one of the same size goes through: its old chunk is freed.
        using var replaced = await http.PostAsync($"/api/knowledge/bases/{kb}/documents?id=terms", new StringContent("Returns are accepted within 60 days.", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Created, replaced.StatusCode);
        Assert.Equal((1, 3, 4), await StatsAsync(http, kb));

        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/knowledge/bases", new { name = "Second" })).StatusCode);
        await AssertQuotaProblemAsync(await http.PostAsJsonAsync("/api/knowledge/bases", new { name = "Third" }), "Knowledge:MaxBasesPerClient", 2, "name");
        var bases = await http.GetJsonAsync("/api/knowledge/bases");
        Assert.Equal(["Products", "Second"], bases.GetProperty("items").EnumerateArray().Select(b => b.Str("name")).Order().ToArray());

        // Another client's quota is its own.
        using var other = await fixture.NewClientAsync();
        var theirs = (await other.PostJsonAsync("/api/knowledge/bases", new { name = "Theirs" })).Str("id");
        Assert.Equal("faq", (await other.PostJsonAsync($"/api/knowledge/bases/{theirs}/faqs", new { question = "Gift cards?", answer = "Yes." })).Str("kind"));
    }

    [Fact]
    public async Task AQueuedDocumentWhoseChunksExceedTheQuotaFailsWithTheReasonInItsIngestionStatus()
    {
        using var http = await fixture.NewClientAsync();
        var kb = (await http.PostJsonAsync("/api/knowledge/bases", new { name = "Catalogue" })).Str("id");
        var markdown = string.Join("\n\n", Enumerable.Range(0, 12).Select(i => $"## Model {i}\n\nModel {i} has {i + 2} ports, weighs {i + 1} kg, ships with a two-year warranty and a charger in the box."));

        using var accepted = await http.PostAsync($"/api/knowledge/bases/{kb}/documents?id=catalogue", new StringContent(markdown, Encoding.UTF8, "text/markdown"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var failed = await Eventually.ReturnsAsync(() => http.GetJsonAsync($"/api/knowledge/bases/{kb}/documents/catalogue"), d => d.Str("status") == "failed", because: "the queued work finds more chunks than the quota allows");
        Assert.Contains("Knowledge:MaxChunksPerClient", failed.Str("error"), StringComparison.Ordinal);
        Assert.Equal(0, failed.GetProperty("chunks").GetInt32());
        Assert.Equal((1, 0, 0), await StatsAsync(http, kb));
        var search = await http.PostJsonAsync("/api/knowledge/search", new { query = "How many ports does Model 7 have?", knowledgeBaseId = kb, minScore = 0, mode = "keyword" });
        Assert.Equal(0, search.GetProperty("passages").GetArrayLength());
    }
}

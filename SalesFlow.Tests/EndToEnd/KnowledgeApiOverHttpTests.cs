using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>The knowledge API of the real app over HTTP: bases, documents, FAQs, queued ingestion, search, 4xx cases, tenants.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class KnowledgeApiOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    private async Task<string> NewBaseAsync(HttpClient? http = null) =>
        (await (http ?? App.Http).PostJsonAsync("/api/knowledge/bases", new { name = "Products " + Guid.NewGuid().ToString("N")[..6], description = "What we sell" })).Str("id");

    [Fact]
    public async Task ABaseWithADocumentAndAnFaqIsSearchableWithSources()
    {
        var kb = await NewBaseAsync();
        var markdown = "# Pricing\n\nThe Pro plan costs €99 per month and includes unlimited pipelines.\n\n# Support\n\nSupport answers within 4 hours on weekdays.";
        using var doc = await App.Http.PostAsync($"/api/knowledge/bases/{kb}/documents?id=pricing-page&title=Pricing", new StringContent(markdown, Encoding.UTF8, "text/markdown"));
        Assert.Equal(HttpStatusCode.Created, doc.StatusCode);
        var created = await doc.JsonAsync();
        Assert.Equal(("pricing-page", "ready", 2), (created.Str("id"), created.Str("status"), created.GetProperty("chunks").GetInt32()));

        var faq = await App.Http.PostJsonAsync($"/api/knowledge/bases/{kb}/faqs", new { id = "faq-hours", question = "When are you open?", answer = "Monday to Friday, 9:00 to 17:00." });
        Assert.Equal("faq", faq.Str("kind"));

        var search = await App.Http.PostJsonAsync("/api/knowledge/search", new { query = "How much is the Pro plan?", knowledgeBaseId = kb });
        var top = search.GetProperty("passages")[0];
        Assert.Equal(("pricing-page", kb), (top.Str("sourceId"), top.Str("knowledgeBaseId")));
        Assert.Contains("€99", top.Str("text"), StringComparison.Ordinal);
        Assert.InRange(top.GetProperty("score").GetDouble(), 0.0, 1.0);

        var hours = await App.Http.PostJsonAsync("/api/knowledge/search", new { query = "opening hours when are you open", knowledgeBaseId = kb, top = 1 });
        Assert.Equal("faq-hours", Assert.Single(hours.GetProperty("passages").EnumerateArray()).Str("sourceId"));

        var unrelated = await App.Http.PostJsonAsync("/api/knowledge/search", new { query = "Who painted the Mona Lisa?", knowledgeBaseId = kb });
        Assert.Equal(0, unrelated.GetProperty("passages").GetArrayLength());

        var stats = await App.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats");
        Assert.Equal((1, 1, 3, 0), (stats.GetProperty("documents").GetInt32(), stats.GetProperty("faqs").GetInt32(), stats.GetProperty("chunks").GetInt32(), stats.GetProperty("pending").GetInt32()));
        Assert.True(stats.GetProperty("tokens").GetInt32() > 20);
        Assert.NotEqual(JsonValueKind.Null, stats.GetProperty("lastUpdate").ValueKind);

        var detail = await App.Http.GetJsonAsync($"/api/knowledge/bases/{kb}");
        Assert.Equal(2, detail.GetProperty("sources").GetArrayLength());
        var list = await App.Http.GetJsonAsync("/api/knowledge/bases");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), b => b.Str("id") == kb);
    }

    [Fact]
    public async Task BulkFaqsInJsonAndCsvReplaceBySameIdAndClearEmptiesTheBase()
    {
        var kb = await NewBaseAsync();
        var json = await App.Http.PostJsonAsync($"/api/knowledge/bases/{kb}/faqs/bulk", new { faqs = new[] { new { id = "ret", question = "Can I return it?", answer = "Within 14 days." }, new { id = "pay", question = "Which payment methods?", answer = "Card and invoice." } } });
        Assert.Equal(2, json.GetProperty("imported").GetInt32());

        using var csv = await App.Http.PostAsync($"/api/knowledge/bases/{kb}/faqs/bulk", new StringContent("id,question,answer\nret,Can I return it?,\"Within 30 days, no questions asked.\"\n", Encoding.UTF8, "text/csv"));
        var csvResult = await csv.JsonAsync();
        Assert.Equal((2, 2), (csvResult.GetProperty("stats").GetProperty("faqs").GetInt32(), csvResult.GetProperty("stats").GetProperty("chunks").GetInt32()));
        var ret = await App.Http.PostJsonAsync("/api/knowledge/search", new { query = "return", knowledgeBaseId = kb, mode = "keyword" });
        Assert.Contains("30 days", Assert.Single(ret.GetProperty("passages").EnumerateArray()).Str("text"), StringComparison.Ordinal);

        var cleared = await App.Http.PostJsonAsync($"/api/knowledge/bases/{kb}/clear", new { });
        Assert.Equal((2, 0), (cleared.GetProperty("removed").GetInt32(), cleared.GetProperty("stats").GetProperty("chunks").GetInt32()));
        Assert.Equal(HttpStatusCode.NoContent, (await App.Http.DeleteAsync($"/api/knowledge/bases/{kb}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await App.Http.GetAsync($"/api/knowledge/bases/{kb}")).StatusCode);
    }

    [Fact]
    public async Task ALargeDocumentIsIngestedAsQueueWorkWithVisibleProgress()
    {
        var kb = await NewBaseAsync();
        var html = "<h1>Catalogue</h1>" + string.Concat(Enumerable.Range(0, 600).Select(i => $"<h2>Model {i}</h2><p>Model {i} has {i + 2} ports, weighs {i + 1} kg and ships with a two-year warranty.</p>"));
        using var response = await App.Http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/documents", new { id = "catalogue", title = "Catalogue", contentType = "text/html", content = html });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains((await response.JsonAsync()).Str("status"), new[] { "pending", "ingesting", "ready" });
        Assert.EndsWith($"/api/knowledge/bases/{kb}/documents/catalogue", response.Headers.Location!.ToString(), StringComparison.Ordinal);

        var ready = await Eventually.ReturnsAsync(() => App.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/documents/catalogue"), d => d.Str("status") == "ready", because: "queued ingestion finishes");
        Assert.True(ready.GetProperty("chunks").GetInt32() > 5);
        var stats = await App.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats");
        Assert.Equal((ready.GetProperty("chunks").GetInt32(), 0), (stats.GetProperty("chunks").GetInt32(), stats.GetProperty("pending").GetInt32()));
        var hit = await App.Http.PostJsonAsync("/api/knowledge/search", new { query = "How many ports does Model 417 have?", knowledgeBaseId = kb, top = 3 });
        Assert.Contains("Model 417 has 419 ports", hit.GetProperty("passages")[0].Str("text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInputIsA4xxNamingTheFieldAndChangesNothing()
    {
        var kb = await NewBaseAsync();
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/bases", new { name = " " }), HttpStatusCode.BadRequest, "name");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/documents", new { contentType = "application/pdf", content = "x" }), HttpStatusCode.BadRequest, "contentType");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/documents", new { contentType = "text/plain", content = "" }), HttpStatusCode.BadRequest, "content");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/documents", new { id = "bad id!", contentType = "text/plain", content = "x" }), HttpStatusCode.BadRequest, "id");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/knowledge/bases/{kb}/documents", new StringContent("{\"content\":", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "body");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/knowledge/bases/{kb}/documents", new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } }), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/faqs", new { question = "Why?" }), HttpStatusCode.BadRequest, "answer");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/faqs/bulk", new { faqs = new object[] { new { question = "Q?", answer = "A" }, new { question = "", answer = "A" } } }), HttpStatusCode.BadRequest, "faqs[1].question");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/knowledge/bases/{kb}/faqs/bulk", new StringContent("title,text\na,b\n", Encoding.UTF8, "text/csv")), HttpStatusCode.BadRequest, "body");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/search", new { query = "" }), HttpStatusCode.BadRequest, "query");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/search", new { query = "x", top = 500 }), HttpStatusCode.BadRequest, "top");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/search", new { query = "x", minScore = -1 }), HttpStatusCode.BadRequest, "minScore");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/search", new { query = "x", mode = "magic" }), HttpStatusCode.BadRequest, "mode");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/search", new { query = "x", knowledgeBaseId = "kb_missing" }), HttpStatusCode.NotFound, "knowledgeBaseId");
        await ApiJson.AssertProblemAsync(await App.Http.GetAsync("/api/knowledge/bases/kb_missing/stats"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/bases/kb_missing/faqs", new { question = "Q?", answer = "A" }), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await App.Anonymous().GetAsync("/api/knowledge/bases"), HttpStatusCode.Unauthorized, "Authorization");

        var stats = await App.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats");
        Assert.Equal((0, 0, 0), (stats.GetProperty("documents").GetInt32(), stats.GetProperty("faqs").GetInt32(), stats.GetProperty("chunks").GetInt32()));
    }

    [Fact]
    public async Task AnOversizeDocumentIsRefusedWith413()
    {
        var kb = await NewBaseAsync();
        var tooBig = new string('a', 600 * 1024) + " end";
        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/knowledge/bases/{kb}/documents", new StringContent(tooBig, Encoding.UTF8, "text/plain")), HttpStatusCode.RequestEntityTooLarge, "content");
        Assert.Equal(0, (await App.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats")).GetProperty("documents").GetInt32());
    }

    [Fact]
    public async Task AnotherClientNeverSeesTheBasesOrPassages()
    {
        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppFixture.AdminKey);
        var other = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "kb-tenant-" + Guid.NewGuid().ToString("N")[..8], name = "Other" })).JsonAsync();
        using var intruder = App.Anonymous();
        intruder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other.Str("apiKey"));

        var kb = await NewBaseAsync();
        await App.Http.PostJsonAsync($"/api/knowledge/bases/{kb}/faqs", new { id = "secret-discount", question = "Is there a partner discount?", answer = "Partners get 35% off with code ZEBRA." });

        await ApiJson.AssertProblemAsync(await intruder.GetAsync($"/api/knowledge/bases/{kb}"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await intruder.GetAsync($"/api/knowledge/bases/{kb}/stats"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await intruder.GetAsync($"/api/knowledge/bases/{kb}/documents/secret-discount"), HttpStatusCode.NotFound, "sourceId");
        await ApiJson.AssertProblemAsync(await intruder.PostAsJsonAsync($"/api/knowledge/bases/{kb}/clear", new { }), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await intruder.DeleteAsync($"/api/knowledge/bases/{kb}"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await intruder.PostAsJsonAsync("/api/knowledge/search", new { query = "partner discount", knowledgeBaseId = kb }), HttpStatusCode.NotFound, "knowledgeBaseId");
        var own = await NewBaseAsync(intruder);
        var search = await intruder.PostJsonAsync("/api/knowledge/search", new { query = "partner discount code ZEBRA", minScore = 0, mode = "keyword" });
        Assert.Equal(0, search.GetProperty("passages").GetArrayLength());
        var bases = await intruder.GetJsonAsync("/api/knowledge/bases");
        Assert.Equal([own], bases.GetProperty("items").EnumerateArray().Select(b => b.Str("id")).ToArray());

        var mine = await App.Http.PostJsonAsync("/api/knowledge/search", new { query = "partner discount code ZEBRA", knowledgeBaseId = kb });
        Assert.Equal("secret-discount", mine.GetProperty("passages")[0].Str("sourceId"));
    }

    [Fact]
    public async Task ARepliesAnswersFromTheClientsKnowledgeAndNothingElse()
    {
        // A client of its own, so no other test's knowledge is in reach.
        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppFixture.AdminKey);
        var created = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "rag-" + Guid.NewGuid().ToString("N")[..8], name = "Shopline" })).JsonAsync();
        using var client = App.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Str("apiKey"));
        var kb = await NewBaseAsync(client);
        await client.PostJsonAsync($"/api/knowledge/bases/{kb}/faqs", new { id = "faq-shopify", question = "Do you integrate with Shopify?", answer = "Yes, orders from Shopify are synced every 5 minutes." });

        var answered = await client.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4917055512345", message = "Hi, do you integrate with Shopify?" });
        Assert.Contains("orders from Shopify are synced every 5 minutes", answered.Str("reply"), StringComparison.Ordinal);
        Assert.True(answered.Str("reply").Length <= 280);

        var unrelated = await client.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4917055512346", message = "Can you repair the engine of my tractor?" });
        Assert.DoesNotContain("Shopify", unrelated.Str("reply"), StringComparison.Ordinal);
    }
}

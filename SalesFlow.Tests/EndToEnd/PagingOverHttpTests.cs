using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Observability;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// One app whose demo client holds more outbox items and more messages in one conversation than one page shows. They
/// are written with the app's own store adapters straight into its data folder while it runs (as the poison-queue test
/// writes its job): through the webhooks, thousands of turns would take minutes.
/// </summary>
public sealed class PagingApp : IAsyncLifetime
{
    public const int OutboxItems = 2_345;
    public const int ConversationMessages = 1_234;
    public const string AdminKey = "paging-admin-key";

    public SalesFlowAppProcess App { get; private set; } = null!;

    /// <summary>The seeded outbox items' ids, newest first.</summary>
    public List<string> SeededOutbox { get; } = [];

    public string ConversationId { get; private set; } = "";

    /// <summary>Every message of that conversation, newest first.</summary>
    public List<string> Messages { get; } = [];

    public async Task InitializeAsync()
    {
        App = await SalesFlowAppProcess.StartAsync(new() { ["SALESFLOW_ADMIN_KEY"] = AdminKey });
        var start = await App.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4917055501234", message = "Hi, I'd like to know more" });
        ConversationId = start.Str("conversationId");
        var leadId = start.Str("leadId");

        using var db = new SqliteDatabase(Path.Combine(App.DataDir, "salesflow.db"), new RuntimeHealth());
        var outbox = new SqliteOutboxStore(db);
        var t0 = DateTimeOffset.UtcNow.AddDays(-3);
        for (var i = 0; i < OutboxItems; i++)
        {
            // Three items per millisecond: a page boundary falls between items of the same time, so the id must break ties.
            var at = t0.AddMilliseconds(i / 3);
            var id = $"out_seed_{i % 3}_{i:D5}";
            await outbox.AddAsync(new OutboxItem
            {
                Id = id,
                ClientId = "demo",
                LeadId = leadId,
                ConversationId = ConversationId,
                Channel = ChannelKind.WhatsApp,
                Recipient = "+4917055501234",
                Text = $"seeded {i}",
                IdempotencyKey = "seed:" + id,
                Status = OutboxStatus.Sent,
                CreatedAt = at,
                UpdatedAt = at,
            }, default);
            SeededOutbox.Add(id);
        }

        SeededOutbox.Reverse();

        var conversations = new SqliteConversationStore(db);
        for (var i = 0; i < ConversationMessages - 2; i++)
        {
            await conversations.AddOutboundAsync(new Message
            {
                Id = $"msg_seed_{i:D5}",
                ClientId = "demo",
                LeadId = leadId,
                ConversationId = ConversationId,
                Direction = MessageDirection.Outbound,
                Channel = ChannelKind.WhatsApp,
                Text = $"follow-up {i}",
                CreatedAt = DateTimeOffset.UtcNow,
            }, default);
        }

        Messages.AddRange((await conversations.ListMessagesAsync("demo", ConversationId, ConversationMessages + 1, default)).Select(m => m.Id).Reverse());
        Assert.Equal(ConversationMessages, Messages.Count); // the first inbound message and its reply, then the seeded ones
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return App.DisposeAsync().AsTask();
    }
}

/// <summary>Every list route pages with an opaque cursor: every item is reached exactly once, the newest first.</summary>
public sealed class PagingOverHttpTests(PagingApp fixture) : IClassFixture<PagingApp>
{
    private SalesFlowAppProcess App => fixture.App;

    /// <summary>Follows <c>next</c> from the first page to the last; the pages' items in the order shown.</summary>
    private static async Task<List<List<JsonElement>>> WalkAsync(HttpClient http, string url, string arrayName, Func<int, Task>? afterPage = null)
    {
        var pages = new List<List<JsonElement>>();
        string? next = null;
        do
        {
            var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = await http.GetJsonAsync(next is null ? url : $"{url}{separator}cursor={Uri.EscapeDataString(next)}");
            pages.Add([.. page.GetProperty(arrayName).EnumerateArray()]);
            next = page.GetProperty("next").GetString();
            if (afterPage is not null)
            {
                await afterPage(pages.Count);
            }
        }
        while (next is not null && pages.Count < 1_000);

        return pages;
    }

    [Fact]
    public async Task TheWholeOutboxIsReachedPageByPageNewestFirstEachItemOnceWhileRepliesArrive()
    {
        // A new reply lands between the first and the second page: keyset paging neither repeats nor skips what was there.
        var pages = await WalkAsync(App.Http, "/api/outbox?limit=1000", "items", async page =>
        {
            if (page == 1)
            {
                await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917055509876", message = "Another lead writes meanwhile" });
            }
        });

        Assert.Equal(1000, pages[0].Count);
        var ids = pages.SelectMany(p => p).Select(i => i.Str("id")).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(fixture.SeededOutbox, ids.Where(id => id.StartsWith("out_seed_", StringComparison.Ordinal)));
        var times = pages.SelectMany(p => p).Select(i => i.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
    }

    [Fact]
    public async Task TheDefaultOutboxPageStartsWithTheNewestItem()
    {
        var reply = await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917055505555", message = "The newest message of all" });
        var first = await App.Http.GetJsonAsync("/api/outbox");

        Assert.Equal(200, first.GetProperty("items").GetArrayLength());
        Assert.Equal(reply.Str("reply"), first.GetProperty("items")[0].Str("text"));
        Assert.NotNull(first.GetProperty("next").GetString());
    }

    [Fact]
    public async Task AFilteredOutboxListingPagesWithinItsFilter()
    {
        var leadId = (await App.Http.GetJsonAsync($"/api/conversations/{fixture.ConversationId}")).Str("leadId");
        var pages = await WalkAsync(App.Http, $"/api/outbox?leadId={leadId}&status=sent&limit=700", "items");

        Assert.Equal(4, pages.Count);
        Assert.Equal(fixture.SeededOutbox, pages.SelectMany(p => p).Select(i => i.Str("id")).Where(id => id.StartsWith("out_seed_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EveryMessageOfALongConversationIsReachedPageByPageFromTheNewest()
    {
        var pages = await WalkAsync(App.Http, $"/api/conversations/{fixture.ConversationId}", "messages");

        // The default page holds the newest 500, oldest of them first (chat order); each next page the 500 before.
        Assert.Equal([500, 500, 234], pages.Select(p => p.Count));
        Assert.Equal(fixture.Messages[0], pages[0][^1].Str("id"));
        var newestFirst = pages.SelectMany(p => p.AsEnumerable().Reverse()).Select(m => m.Str("id")).ToList();
        Assert.Equal(fixture.Messages, newestFirst);
    }

    [Fact]
    public async Task TheComplianceAuditPagesNewestFirst()
    {
        for (var i = 0; i < 3; i++)
        {
            await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = $"+491705551200{i}", message = "What does it cost?" });
        }

        var all = (await App.Http.GetJsonAsync("/api/compliance/audit?limit=1000")).GetProperty("items").EnumerateArray().Select(e => e.Str("id")).ToList();
        Assert.True(all.Count >= 3);
        var pages = await WalkAsync(App.Http, "/api/compliance/audit?limit=1", "items");

        Assert.All(pages[..^1], p => Assert.Single(p));
        Assert.Equal(all, pages.SelectMany(p => p).Select(e => e.Str("id")));
    }

    [Fact]
    public async Task KnowledgeBasesAndABasesSourcesArePagedToTheLastOne()
    {
        var bases = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            bases.Add((await App.Http.PostJsonAsync("/api/knowledge/bases", new { name = $"Paged base {i}" })).Str("id"));
        }

        var faqs = Enumerable.Range(0, 5).Select(i => new { id = $"faq-{i}", question = $"Question {i}?", answer = $"Answer {i}." }).ToArray();
        Assert.True((await App.Http.PostAsJsonAsync($"/api/knowledge/bases/{bases[0]}/faqs/bulk", new { faqs })).IsSuccessStatusCode);

        var basePages = await WalkAsync(App.Http, "/api/knowledge/bases?limit=1", "items");
        var listedBases = basePages.SelectMany(p => p).Select(b => b.Str("id")).ToList();
        Assert.Equal(listedBases.Count, listedBases.Distinct().Count());
        Assert.Equal(bases.Order(), listedBases.Where(bases.Contains).Order());
        Assert.All(basePages, p => Assert.Single(p));

        var sourcePages = await WalkAsync(App.Http, $"/api/knowledge/bases/{bases[0]}?limit=2", "sources");
        Assert.Equal([2, 2, 1], sourcePages.Select(p => p.Count));
        Assert.Equal(faqs.Select(f => f.id).Order(), sourcePages.SelectMany(p => p).Select(s => s.Str("id")).Order());
    }

    [Fact]
    public async Task APoisonQueueListsItsOldestItemsUpToItsDocumentedMaximumAndSaysHowManyAreParked()
    {
        // Parked work written straight into the app's queue table, as the lifecycle test does.
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(App.DataDir, "salesflow.db")}"))
        {
            await db.OpenAsync();
            await using var insert = db.CreateCommand();
            insert.CommandText = "PRAGMA busy_timeout=5000; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
                + "INSERT INTO jobs (queue, payload, due_at, dequeue_count, created_at) SELECT 'ingest-knowledge-poison', '{\"n\":' || i || '}', 0, 5, 0 FROM n";
            await insert.ExecuteNonQueryAsync();
        }

        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PagingApp.AdminKey);
        var listed = await admin.GetJsonAsync("/api/admin/queues/ingest-knowledge/poison");

        Assert.Equal(40, listed.GetProperty("parked").GetInt32());
        Assert.Equal(Enumerable.Range(1, 32).Select(i => $"{{\"n\":{i}}}"), listed.GetProperty("items").EnumerateArray().Select(i => i.Str("payload")));
        await ApiJson.AssertProblemAsync(await admin.GetAsync("/api/admin/queues/ingest-knowledge/poison?max=33"), HttpStatusCode.BadRequest, "max");
    }

    [Theory]
    [InlineData("/api/outbox", "0")]
    [InlineData("/api/outbox", "1001")]
    [InlineData("/api/outbox", "-5")]
    [InlineData("/api/outbox", "ten")]
    [InlineData("/api/compliance/audit", "0")]
    [InlineData("/api/compliance/audit", "1001")]
    [InlineData("/api/conversations/{id}", "0")]
    [InlineData("/api/conversations/{id}", "1001")]
    [InlineData("/api/conversations/{id}", "1e3")]
    [InlineData("/api/knowledge/bases", "101")]
    [InlineData("/api/knowledge/bases", "0")]
    public async Task ALimitOutOfRangeIsRefusedNamingLimit(string route, string limit)
    {
        using var response = await App.Http.GetAsync(route.Replace("{id}", fixture.ConversationId, StringComparison.Ordinal) + "?limit=" + limit);
        await ApiJson.AssertProblemAsync(response, HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task AMalformedTamperedOrForeignCursorIsRefusedNamingCursor()
    {
        var outboxNext = (await App.Http.GetJsonAsync("/api/outbox?limit=2")).Str("next");
        var messagesNext = (await App.Http.GetJsonAsync($"/api/conversations/{fixture.ConversationId}?limit=2")).Str("next");
        Assert.Equal(HttpStatusCode.OK, (await App.Http.GetAsync("/api/outbox?limit=2&cursor=" + outboxNext)).StatusCode);

        var tampered = outboxNext[..^3] + (outboxNext[^3] == 'A' ? 'B' : 'A') + outboxNext[^2..];
        string[] bad =
        [
            "/api/outbox?cursor=not-a-cursor!",
            "/api/outbox?cursor=" + tampered,
            "/api/outbox?cursor=" + outboxNext + "AAAA",
            "/api/outbox?cursor=" + new string('A', 600),
            "/api/outbox?status=sent&cursor=" + outboxNext, // another filter than the cursor was made for
            "/api/outbox?cursor=" + messagesNext, // another route's
            "/api/compliance/audit?cursor=" + outboxNext,
            $"/api/conversations/{fixture.ConversationId}?cursor=" + outboxNext,
            "/api/knowledge/bases?cursor=" + outboxNext,
        ];
        foreach (var url in bad)
        {
            using var response = await App.Http.GetAsync(url);
            await ApiJson.AssertProblemAsync(response, HttpStatusCode.BadRequest, "cursor");
        }
    }

    [Fact]
    public async Task AnotherClientsCursorIsRefusedAndNeverReachesTheirData()
    {
        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PagingApp.AdminKey);
        var initech = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "initech", name = "Initech", defaultCountryCode = "1" })).JsonAsync();
        using var other = App.Anonymous();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", initech.Str("apiKey"));

        var demoCursor = (await App.Http.GetJsonAsync("/api/outbox?limit=5")).Str("next");
        using var reused = await other.GetAsync("/api/outbox?limit=5&cursor=" + demoCursor);
        await ApiJson.AssertProblemAsync(reused, HttpStatusCode.BadRequest, "cursor");

        var own = await other.GetJsonAsync("/api/outbox");
        Assert.Empty(own.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, own.GetProperty("next").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/conversations/{fixture.ConversationId}")).StatusCode);
    }
}

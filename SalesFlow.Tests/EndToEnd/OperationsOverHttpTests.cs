using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// The console's client-scoped operations routes (poison items with replay, scheduled follow-ups) and the score
/// distribution, on the standalone app (embedded store and queue): each client sees and replays only its own.
/// </summary>
public sealed class OperationsOverHttpTests : IAsyncLifetime
{
    private const string AdminKey = "operations-admin-key";

    private InProcessApp _app = null!;
    private HttpClient _globex = null!;

    public async Task InitializeAsync()
    {
        _app = await InProcessApp.StandaloneAsync(new()
        {
            ["SalesFlow:AdminKey"] = AdminKey,
            ["SalesFlow:MaxDequeueCount"] = "1",
        });
        using var admin = new HttpClient { BaseAddress = _app.BaseUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var globex = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "globex", name = "Globex", defaultCountryCode = "1" })).JsonAsync();
        _globex = new HttpClient { BaseAddress = _app.BaseUrl };
        _globex.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", globex.Str("apiKey"));
    }

    public async Task DisposeAsync()
    {
        _globex.Dispose();
        await _app.DisposeAsync();
    }

    private static async Task<JsonElement[]> PoisonAsync(HttpClient http) =>
        [.. (await http.GetJsonAsync("/api/operations/poison")).GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task A_client_lists_and_replays_only_its_own_parked_work()
    {
        // Deliver jobs the handler cannot read (no outboxId), one per client: each fails once and is parked.
        var queue = _app.Services.GetRequiredService<IWorkQueue>();
        await queue.EnqueueAsync(Queues.Deliver, """{"clientId":"demo","note":"demo's"}""", TimeSpan.Zero, null, default);
        await queue.EnqueueAsync(Queues.Deliver, """{"clientId":"globex","note":"globex's"}""", TimeSpan.Zero, null, default);

        var demo = Assert.Single(await Eventually.ReturnsAsync(() => PoisonAsync(_app.Http), i => i.Length == 1, because: "demo's job fails once and is parked"));
        var globex = Assert.Single(await Eventually.ReturnsAsync(() => PoisonAsync(_globex), i => i.Length == 1, because: "globex's job is parked too"));
        Assert.Equal(("deliver", 1), (demo.Str("queue"), demo.GetProperty("dequeueCount").GetInt32()));
        Assert.Contains("demo's", demo.Str("payload"), StringComparison.Ordinal);
        Assert.Contains("outboxId", demo.Str("lastError"), StringComparison.Ordinal);
        Assert.Contains("globex's", globex.Str("payload"), StringComparison.Ordinal);

        // Another client's item is as unknown as a made-up one; nothing moves.
        await ApiJson.AssertProblemAsync(await _globex.PostAsync($"/api/operations/poison/deliver/{demo.Str("id")}/replay", null), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync("/api/operations/poison/deliver/999999/replay", null), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await _app.Http.PostAsync($"/api/operations/poison/nope/{demo.Str("id")}/replay", null), HttpStatusCode.NotFound, "queue");
        Assert.Single(await PoisonAsync(_app.Http));

        var replay = await (await _app.Http.PostAsync($"/api/operations/poison/deliver/{demo.Str("id")}/replay", null)).JsonAsync();
        Assert.True(replay.GetProperty("replayed").GetBoolean());

        // Replayed, it runs again (its tries reset), fails again and is parked again; globex's item stayed where it was.
        var again = Assert.Single(await Eventually.ReturnsAsync(() => PoisonAsync(_app.Http), i => i.Length == 1 && i[0].GetProperty("dequeueCount").GetInt32() == 1, because: "the replayed job fails once more"));
        Assert.Equal(demo.Str("id"), again.Str("id"));
        Assert.Equal(globex.Str("id"), Assert.Single(await PoisonAsync(_globex)).Str("id"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = _app.BaseUrl }.GetAsync("/api/operations/poison")).StatusCode);
    }

    [Fact]
    public async Task Each_client_sees_only_its_own_scheduled_follow_ups()
    {
        var mia = await _app.Http.PostJsonAsync("/api/leads", new { name = "Mia Weber", phone = "+4917012345601", consent = new { sms = true } });
        var otto = await _globex.PostJsonAsync("/api/leads", new { name = "Otto Graf", phone = "+14155550199", consent = new { sms = true } });

        var demo = (await _app.Http.GetJsonAsync("/api/operations/followups")).GetProperty("items").EnumerateArray().ToArray();
        var item = Assert.Single(demo);
        Assert.Equal((mia.Str("leadId"), "Mia Weber", mia.Str("outboxId"), 0), (item.Str("leadId"), item.Str("leadName"), item.Str("cycle"), item.GetProperty("stepsSent").GetInt32()));
        Assert.False(item.GetProperty("due").GetBoolean()); // the first step is an hour after the first contact
        Assert.Equal(otto.Str("leadId"), Assert.Single((await _globex.GetJsonAsync("/api/operations/followups")).GetProperty("items").EnumerateArray()).Str("leadId"));

        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync("/api/operations/followups?limit=0"), HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task The_score_distribution_counts_the_client_s_leads_by_temperature_and_health()
    {
        await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917012345602", message = "Hi, what does it cost?" });

        var scores = await Eventually.ReturnsAsync(() => _app.Http.GetJsonAsync("/api/analytics/scores"), s => s.GetProperty("leads").GetInt32() == 1, because: "the turn stores the lead's score");
        var temperatures = scores.GetProperty("temperatures").EnumerateArray().ToDictionary(t => t.Str("temperature"), t => t.GetProperty("leads").GetInt32());
        Assert.Equal(["hot", "warm", "cold"], temperatures.Keys);
        Assert.Equal(1, temperatures.Values.Sum());
        var health = scores.GetProperty("health").EnumerateArray().ToArray();
        Assert.Equal([0, 20, 40, 60, 80], health.Select(b => b.GetProperty("min").GetInt32()));
        Assert.Equal(100, health[^1].GetProperty("max").GetInt32());
        Assert.Equal(1, health.Sum(b => b.GetProperty("leads").GetInt32()));

        Assert.Equal(0, (await _globex.GetJsonAsync("/api/analytics/scores")).GetProperty("leads").GetInt32());
        Assert.Equal(0, (await _app.Http.GetJsonAsync("/api/analytics/scores?from=2020-01-01&to=2020-12-31")).GetProperty("leads").GetInt32());
        await ApiJson.AssertProblemAsync(await _app.Http.GetAsync("/api/analytics/scores?from=yesterday"), HttpStatusCode.BadRequest, "from");
    }
}

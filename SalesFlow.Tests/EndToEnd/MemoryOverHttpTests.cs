using System.Net;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>The three memory layers through the API, on an app with a hot window of 4 so a short chat overflows it.</summary>
public sealed class MemoryOverHttpTests : IAsyncLifetime
{
    private SalesFlowAppProcess _app = null!;

    public async Task InitializeAsync() => _app = await SalesFlowAppProcess.StartAsync(new() { ["Memory__HotWindow"] = "4" });

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task GetMemoryShowsTheHotWindowTheSummaryAndWhatTheLatestMessageRecalls()
    {
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4917" + Random.Shared.Next(10000000, 99999999), name = "Jonas Weber", message = "Our warehouse team needs barcode scanning for inventory." });
        var id = start.Str("conversationId");
        foreach (var text in new[] { "Can we pay monthly?", "Who else in logistics uses you?", "Does the barcode scanning work offline in the warehouse?" })
        {
            await _app.Http.PostJsonAsync($"/api/conversations/{id}/messages", new { message = text });
        }

        var memory = await _app.Http.GetJsonAsync($"/api/leads/{start.Str("leadId")}/memory");

        // Kept from before: key facts, profile.
        Assert.Equal("Jonas Weber", memory.GetProperty("keyFacts").Str("name"));
        Assert.Equal(4, memory.GetProperty("hot").GetProperty("messages").GetArrayLength());
        // 8 messages, hot window 4: a turn summarises once 4 + 2 are uncovered.
        var warm = memory.GetProperty("warm");
        Assert.Contains("barcode scanning", warm.Str("summary"), StringComparison.Ordinal);
        Assert.True(warm.GetProperty("coversThroughSeq").GetInt64() > 0);
        Assert.True(warm.TryGetProperty("sentiment", out _));
        var cold = memory.GetProperty("cold");
        Assert.True(cold.GetProperty("indexed").GetInt32() >= 6);
        Assert.Equal("Does the barcode scanning work offline in the warehouse?", cold.Str("query"));
        Assert.Contains(cold.GetProperty("recalls").EnumerateArray(), r => r.Str("text") == "Our warehouse team needs barcode scanning for inventory.");
    }

    [Fact]
    public async Task ErasureClearsEveryLayer()
    {
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917" + Random.Shared.Next(10000000, 99999999), message = "We need barcode scanning." });
        var id = start.Str("conversationId");
        for (var i = 0; i < 3; i++)
        {
            await _app.Http.PostJsonAsync($"/api/conversations/{id}/messages", new { message = $"Question {i}: does it work offline?" });
        }

        var erased = await _app.Http.DeleteAsync($"/api/leads/{start.Str("leadId")}");
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var removed = (await erased.JsonAsync()).GetProperty("removed");
        Assert.Equal(1, removed.GetProperty("memory_summaries").GetInt32());
        Assert.True(removed.GetProperty("memory_vectors").GetInt32() >= 8);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Http.GetAsync($"/api/leads/{start.Str("leadId")}/memory")).StatusCode);
    }
}

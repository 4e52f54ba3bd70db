using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SalesFlow.Core.Queue;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.Hosting;

/// <summary>The app started the way the Functions host starts it (work on Storage queues, here Azurite).</summary>
public sealed class FunctionsHostAppFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _start = new(1, 1);
    private SalesFlowAppProcess? _app;

    public async Task<SalesFlowAppProcess> AppAsync(AzuriteFixture azurite)
    {
        await _start.WaitAsync();
        try
        {
            return _app ??= await StartUnderFunctionsHostAsync(new() { ["SalesFlow__Queue"] = "storage", ["AzureWebJobsStorage"] = azurite.ConnectionString });
        }
        finally
        {
            _start.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

[Collection(AzuriteFixture.Collection)]
public sealed class CustomHandlerOverHttpTests(AzuriteFixture azurite, FunctionsHostAppFixture fixture) : IClassFixture<FunctionsHostAppFixture>, IAsyncLifetime
{
    private SalesFlowAppProcess App { get; set; } = null!;

    public async Task InitializeAsync() => App = await fixture.AppAsync(azurite);

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Job(string Id, string Queue, string Payload);

    /// <summary>What waits in the Storage queue the host would trigger from (peeked: nothing is taken).</summary>
    private async Task<Job[]> JobsAsync(string queue)
    {
        var client = azurite.NewServiceClient().GetQueueClient(queue);
        await client.CreateIfNotExistsAsync();
        return [.. (await client.PeekMessagesAsync(32)).Value.Select(m => new Job(m.MessageId, queue, m.Body.ToString()))];
    }

    /// <summary>The body the host POSTs for a queue trigger; <paramref name="message"/> is the raw JSON of Data.message.</summary>
    private static StringContent Invocation(string messageJson, int dequeueCount = 1, string? id = null) => Json($$"""
        {
          "Data": { "message": {{messageJson}} },
          "Metadata": {
            "DequeueCount": {{dequeueCount}},
            "ExpirationTime": "2030-10-16T17:58:31+00:00",
            "Id": "{{id ?? Guid.NewGuid().ToString()}}",
            "InsertionTime": "2030-10-09T17:58:31+00:00",
            "NextVisibleTime": "2030-10-09T18:08:32+00:00",
            "PopReceipt": "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
            "sys": { "MethodName": "process-inbound", "UtcNow": "2030-10-09T17:58:32.2205399Z", "RandGuid": "24ad4c06-24ad-4e5b-8294-3da9714877e9" }
          }
        }
        """);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>The queue message in each shape the host is known to deliver it.</summary>
    private static string Shape(string shape, string payload) => shape switch
    {
        "double-encoded" => JsonSerializer.Serialize(JsonSerializer.Serialize(payload)),
        "base64" => JsonSerializer.Serialize(Convert.ToBase64String(Encoding.UTF8.GetBytes(payload))),
        "object" => payload,
        "string" => JsonSerializer.Serialize(payload),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static async Task<JsonElement> ProtocolAnswerAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("Logs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
        return body;
    }

    [Theory]
    [InlineData("double-encoded", "base64")]
    [InlineData("base64", "object")]
    [InlineData("object", "string")]
    public async Task AQueuedMessageWaitsForTheHostAndIsHandledByItsInvocationInEveryShape(string inboundShape, string deliverShape)
    {
        var waId = "49171" + Random.Shared.Next(1000000, 9999999);
        var before = (await JobsAsync(Queues.ProcessInbound)).Select(j => j.Id).ToHashSet();
        using (var webhook = await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid." + Guid.NewGuid().ToString("N"), "Hi, what does your product cost?"), WhatsAppAppSecret)))
        {
            Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        }

        // The turn is queued with the burst window as visibility delay; peeking sees it once visible.
        var job = Assert.Single(await Eventually.ReturnsAsync(async () => (await JobsAsync(Queues.ProcessInbound)).Where(j => !before.Contains(j.Id)).ToArray(), j => j.Length > 0));
        await Task.Delay(1500); // past the 300 ms burst window: a standalone runner would have answered by now
        Assert.Contains(await JobsAsync(Queues.ProcessInbound), j => j.Id == job.Id);
        Assert.DoesNotContain(await App.Http.OutboxAsync(), i => i.Str("recipient") == "+" + waId);

        using var invoked = await App.Http.PostAsync("/process-inbound", Invocation(Shape(inboundShape, job.Payload)));
        var answer = await ProtocolAnswerAsync(invoked, HttpStatusCode.OK);
        Assert.NotEmpty(answer.GetProperty("Logs").EnumerateArray());

        var reply = Assert.Single(await App.Http.OutboxAsync(), i => i.Str("recipient") == "+" + waId);
        Assert.Equal("pending", reply.Str("status"));
        var deliver = Assert.Single(await JobsAsync(Queues.Deliver), j => DeliverWork.Parse(j.Payload).OutboxId == reply.Str("id"));
        await Task.Delay(1000);
        Assert.Equal("pending", Assert.Single(await App.Http.OutboxAsync(), i => i.Str("recipient") == "+" + waId).Str("status"));

        using var delivered = await App.Http.PostAsync("/deliver", Invocation(Shape(deliverShape, deliver.Payload), dequeueCount: 2));
        await ProtocolAnswerAsync(delivered, HttpStatusCode.OK);
        Assert.Equal("sent", Assert.Single(await App.Http.OutboxAsync(), i => i.Str("recipient") == "+" + waId).Str("status"));
    }

    [Fact]
    public async Task AFailingHandlerAnswers500WithTheErrorInLogsSoTheHostRetries()
    {
        using var response = await App.Http.PostAsync("/process-inbound", Invocation(Shape("double-encoded", """{"clientId":"demo"}"""), dequeueCount: 4, id: "msg-1"));

        var answer = await ProtocolAnswerAsync(response, HttpStatusCode.InternalServerError);
        var log = Assert.Single(answer.GetProperty("Logs").EnumerateArray()).GetString()!;
        Assert.Contains("FormatException", log, StringComparison.Ordinal);
        Assert.Contains("msg-1", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"Metadata":{"DequeueCount":1}}""")]
    [InlineData("""{"Data":{"message":"not a work payload"},"Metadata":{}}""")]
    public async Task ABodyTheHandlerCannotUseAnswers500(string body)
    {
        using var response = await App.Http.PostAsync("/deliver", Json(body));

        await ProtocolAnswerAsync(response, HttpStatusCode.InternalServerError);
    }

    [Theory]
    [InlineData("outbox-sweep")]
    [InlineData("retention-cleanup")]
    [InlineData("inbound-sweep")]
    public async Task ATimerInvocationRunsItsHandlerAndAnswersTheProtocolShape(string timer)
    {
        var body = Json("""
            {
              "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": null, "IsPastDue": false } },
              "Metadata": { "sys": { "MethodName": "timer", "UtcNow": "2030-10-09T17:58:32.2205399Z", "RandGuid": "24ad4c06-24ad-4e5b-8294-3da9714877e9" } }
            }
            """);

        using var response = await App.Http.PostAsync("/" + timer, body);

        await ProtocolAnswerAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheHostProbeHealthAndReadinessAnswerAndReadinessNamesTheMode()
    {
        using var anonymous = App.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        var ready = await anonymous.GetJsonAsync("/ready");
        Assert.Equal("ready", ready.Str("status"));
        Assert.Equal("functions-host", ready.Str("mode"));
    }
}

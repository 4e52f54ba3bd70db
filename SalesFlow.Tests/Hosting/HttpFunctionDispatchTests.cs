using System.Net.Http.Json;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Orchestrations;
using SalesFlow.Functions.Triggers;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// The one route table behind the catch-all HTTP functions (a stand-in for the worker's ASP.NET Core integration, see
/// <see cref="InProcessApp"/>), over a real Kestrel on 127.0.0.1, with work on Storage queues (Azurite) as under the host.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class HttpFunctionDispatchTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private InProcessApp _functions = null!;

    public async Task InitializeAsync() => _functions = await InProcessApp.BehindHttpFunctionsAsync(new()
    {
        ["SalesFlow:Queue"] = "storage",
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["SalesFlow:MaxRequestBodyBytes"] = "4096",
    });

    public async Task DisposeAsync() => await _functions.DisposeAsync();

    private static string NewPhone() => "49171" + Random.Shared.Next(1000000, 9999999);

    [Fact]
    public async Task ASignedWhatsAppWebhookIsVerifiedOnTheRawBodyThroughTheWebhooksFunctionAndTheLeadsOrchestrationAnswersIt()
    {
        var phone = NewPhone();
        var body = Webhooks.WhatsAppText(phone, "wamid." + Guid.NewGuid().ToString("N"), "Hi, what does your CRM cost per user?");

        var accepted = await _functions.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, SalesFlowAppProcess.WhatsAppAppSecret));
        var tampered = body.ToArray();
        tampered[^5] ^= 1; // one byte changed after signing: the signature is checked on the bytes as sent
        var forged = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/whatsapp/demo") { Content = new ByteArrayContent(tampered) };
        forged.Content.Headers.ContentType = new("application/json");
        forged.Headers.Add("X-Hub-Signature-256", SalesFlow.Infrastructure.Signatures.MetaSignature.Compute(SalesFlowAppProcess.WhatsAppAppSecret, body));
        var refused = await _functions.Http.SendAsync(forged);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("webhooks", _functions.ReceivedBy["POST /api/webhooks/whatsapp/demo"]);
        Assert.Equal("/api/webhooks/whatsapp/{clientId}", _functions.Answered["POST /api/webhooks/whatsapp/demo"]);

        // Under the host intake wakes the lead's Durable orchestration (through the function's [DurableClient]), whose
        // turn activity writes the reply: no process-inbound message is involved.
        var outbox = await Eventually.ReturnsAsync(() => _functions.Http.OutboxAsync(), o => o.Any(i => i.GetProperty("text").GetString() is { Length: > 0 }), because: "the orchestration's turn answers");
        var leadId = outbox.First().GetProperty("leadId").GetString()!;
        var instance = await _functions.Durable!.Client.GetInstanceAsync(LeadConversationNames.InstanceIdFor("demo", leadId));
        Assert.NotNull(instance);
        Assert.Equal("outbox", _functions.ReceivedBy["GET /api/outbox"]);
    }

    [Fact]
    public async Task APostedLeadStartsItsOrchestrationThroughTheLeadsFunctionWhichWaitsForTheFirstFollowUp()
    {
        var created = await (await _functions.Http.PostAsJsonAsync("/api/leads", new { name = "Nora Weiss", phone = "+" + NewPhone(), consent = new { sms = true } })).JsonAsync();
        Assert.Equal("leads", _functions.ReceivedBy["POST /api/leads"]);

        // Under the host the cadence after the first contact is the lead's Durable orchestration, started through the
        // leads function's [DurableClient]: it plans the first step from the first contact.
        var instanceId = LeadConversationNames.InstanceIdFor("demo", created.Str("leadId"));
        var status = await Eventually.ReturnsAsync(
            async () => (await _functions.Durable!.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true))?.SerializedCustomStatus,
            s => s is not null && s.Contains(created.Str("outboxId"), StringComparison.Ordinal),
            because: "the orchestration plans the follow-up of the first contact");
        Assert.Contains("\"Action\":0", status!.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal); // Wait

        var followUps = await _functions.Http.GetJsonAsync($"/api/leads/{created.Str("leadId")}/followups");
        Assert.Equal(("scheduled", created.Str("outboxId"), 1), (followUps.Str("status"), followUps.Str("cycle"), followUps.GetProperty("next").GetProperty("step").GetInt32()));
    }

    [Fact]
    public async Task ABodyOverTheLimitAnswers413ProblemThroughTheFunction()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations") { Content = new StringContent(new string('x', 5000), Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true; // the refusal arrives before the upload, as careful clients wait for it

        var response = await _functions.Http.SendAsync(request);

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Equal("conversations", _functions.ReceivedBy["POST /api/conversations"]);
    }

    [Fact]
    public async Task ServerSentEventsStreamThroughTheChatFunction()
    {
        var start = await _functions.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+" + NewPhone(), name = "Lena Fischer", message = "Hi, I'm interested in your CRM" });

        var sse = await _functions.Http.PostSseAsync("/api/chat/stream", new { conversationId = start.Str("conversationId"), message = "How much does it cost per user?" });

        Assert.Equal("text/event-stream", sse.ContentType);
        Assert.True(sse.Tokens.Count > 3, $"only {sse.Tokens.Count} tokens");
        Assert.Equal(sse.Done.Data.Str("reply"), sse.Text);
        Assert.Equal("chat", _functions.ReceivedBy["POST /api/chat/stream"]);
    }

    [Fact]
    public async Task EveryRouteOfTheRouteTableAnswersThroughItsHttpFunctionAsStandalone()
    {
        await using var standalone = await InProcessApp.StandaloneAsync(new() { ["SalesFlow:MaxRequestBodyBytes"] = "4096" });
        var routes = RouteTable(standalone.Services);
        Assert.NotEmpty(routes);

        foreach (var (pattern, method, path) in routes)
        {
            var viaFunction = await _functions.Http.SendAsync(Request(method, path));
            var direct = await standalone.Http.SendAsync(Request(method, path));

            var key = $"{method} {path}";
            Assert.Equal(pattern, standalone.Answered[key]);
            Assert.True(_functions.ReceivedBy.ContainsKey(key), $"{key}: no HTTP function received it");
            Assert.Equal(pattern, _functions.Answered[key]);
            Assert.True(direct.StatusCode == viaFunction.StatusCode, $"{key}: {viaFunction.StatusCode} through the function, {direct.StatusCode} standalone");
        }
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json") };

    /// <summary>Every endpoint of the route table with each of its methods and a concrete path (parameters filled with "x1").</summary>
    private static List<(string Pattern, string Method, string Path)> RouteTable(IServiceProvider services) =>
    [
        .. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (e.RoutePattern.RawText!, m, "/" + SamplePath(e.RoutePattern)))),
    ];

    internal static string SamplePath(RoutePattern pattern) =>
        string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart => "x1",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));
}

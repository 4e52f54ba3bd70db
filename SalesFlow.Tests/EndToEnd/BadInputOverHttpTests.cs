using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>Bad input gets a 4xx problem+json naming the field, and changes nothing.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class BadInputOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    private async Task<int> OutboxCountAsync() => (await App.Http.OutboxAsync()).Length;

    [Theory]
    [InlineData("{\"channel\":\"whatsapp\",\"from\":\"+491701234567\"", "body")] // truncated JSON
    [InlineData("{\"from\":\"+491701234567\",\"message\":\"hi\"}", "channel")]
    [InlineData("{\"channel\":\"fax\",\"from\":\"+491701234567\",\"message\":\"hi\"}", "channel")]
    [InlineData("{\"channel\":\"sms\",\"message\":\"hi\"}", "from")]
    [InlineData("{\"channel\":\"sms\",\"from\":\"not-a-phone\",\"message\":\"hi\"}", "from")]
    [InlineData("{\"channel\":\"email\",\"from\":\"nobody\",\"message\":\"hi\"}", "from")]
    [InlineData("{\"channel\":\"sms\",\"from\":\"+491701234567\",\"message\":\"   \"}", "message")]
    [InlineData("{\"channel\":\"sms\",\"from\":\"+491701234567\",\"message\":42}", "body")]
    [InlineData("[]", "body")]
    public async Task StartConversationRejectsBadBodiesNamingTheField(string json, string field)
    {
        var before = await OutboxCountAsync();
        using var response = await App.Http.PostAsync("/api/conversations", new StringContent(json, Encoding.UTF8, "application/json"));
        await ApiJson.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await OutboxCountAsync());
    }

    [Fact]
    public async Task AnOversizeBodyIsRefused()
    {
        var huge = new string('a', 2 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations")
        {
            Content = new StringContent($"{{\"channel\":\"sms\",\"from\":\"+491701234567\",\"message\":\"{huge}\"}}", Encoding.UTF8, "application/json"),
        };

        // As careful clients do: announce the body and wait, so the refusal arrives before the upload (no reset mid-upload).
        request.Headers.ExpectContinue = true;
        using var response = await App.Http.SendAsync(request);
        await ApiJson.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
    }

    [Fact]
    public async Task ATooLongMessageIsRefused()
    {
        using var response = await App.Http.PostAsJsonAsync("/api/conversations", new { channel = "sms", from = "+491701234567", message = new string('x', 5000) });
        await ApiJson.AssertProblemAsync(response, HttpStatusCode.BadRequest, "message");
    }

    [Fact]
    public async Task ManagementCallsWithoutAValidKeyAreRefused()
    {
        using var anonymous = App.Anonymous();
        await ApiJson.AssertProblemAsync(await anonymous.GetAsync("/api/outbox"), HttpStatusCode.Unauthorized, "Authorization");
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sf_wrong");
        await ApiJson.AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/conversations", new { channel = "sms", from = "+491701234567", message = "hi" }), HttpStatusCode.Unauthorized, "Authorization");
    }

    [Fact]
    public async Task AWebhookWithAWrongSignatureIsRefusedAndStoresNothing()
    {
        var before = await OutboxCountAsync();
        var body = Webhooks.WhatsAppText("491709999999", "wamid.bad-signature", "hi");
        using var wrongSecret = await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, "not-the-secret"));
        await ApiJson.AssertProblemAsync(wrongSecret, HttpStatusCode.Unauthorized, "X-Hub-Signature-256");

        var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/whatsapp/demo") { Content = new ByteArrayContent(body) };
        await ApiJson.AssertProblemAsync(await App.Http.SendAsync(unsigned), HttpStatusCode.Unauthorized, "X-Hub-Signature-256");

        var form = Webhooks.TwilioSms("+491709999999", "SMbadsignature", "hi");
        var twilio = Webhooks.SignedTwilio(App.BaseUrl, "demo", form, "wrong-token");
        await ApiJson.AssertProblemAsync(await App.Http.SendAsync(twilio), HttpStatusCode.Unauthorized, "X-Twilio-Signature");

        await ApiJson.AssertProblemAsync(await App.Anonymous().PostAsync("/api/webhooks/email/demo?key=wrong", new MultipartFormDataContent { { new StringContent("a@b.example"), "from" } }), HttpStatusCode.Unauthorized, "key");

        await Task.Delay(800);
        Assert.Equal(before, await OutboxCountAsync());
    }

    [Fact]
    public async Task ASignedWebhookThatIsNotInTheProviderFormatIsABadRequest()
    {
        var body = Encoding.UTF8.GetBytes("{\"object\":\"whatsapp_business_acc");
        await ApiJson.AssertProblemAsync(await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, WhatsAppAppSecret)), HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task AWebhookForAnUnknownClientIsNotFound()
    {
        var body = Webhooks.WhatsAppText("491709999999", "wamid.unknown-client", "hi");
        await ApiJson.AssertProblemAsync(await App.Http.SendAsync(Webhooks.SignedWhatsApp("nobody", body, WhatsAppAppSecret)), HttpStatusCode.NotFound, "clientId");
    }

    [Fact]
    public async Task UnknownResourcesAreNotFound()
    {
        await ApiJson.AssertProblemAsync(await App.Http.GetAsync("/api/leads/lead_missing"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await App.Http.GetAsync("/api/conversations/conv_missing"), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/conversations/conv_missing/messages", new { message = "hi" }), HttpStatusCode.NotFound, "id");
        await ApiJson.AssertProblemAsync(await App.Http.DeleteAsync("/api/leads/lead_missing"), HttpStatusCode.NotFound, "id");
    }

    [Fact]
    public async Task AnalyzeNeedsText()
    {
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/intelligence/analyze", new { }), HttpStatusCode.BadRequest, "text");
    }
}

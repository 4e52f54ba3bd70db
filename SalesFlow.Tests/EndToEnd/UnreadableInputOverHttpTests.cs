using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SalesFlow.Infrastructure.Signatures;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// Bytes that are not text and text that only looks like nothing, sent to the running app: signed webhooks never get a
/// 5xx, a delivery's readable messages are kept and its unreadable ones skipped, and the management API refuses such
/// input with a 400 naming the field.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UnreadableInputOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    private static string NewWaId() => "49171" + Random.Shared.Next(1000000, 9999999);

    /// <summary>Raw bytes that are not UTF-8 text: a stray 0xFF, an overlong '/', and (as a JSON escape) a lone surrogate.</summary>
    public static TheoryData<string, byte[]> BadText => new()
    {
        { "xff", [(byte)'h', (byte)'i', 0xFF] },
        { "overlong", [(byte)'h', (byte)'i', 0xC0, 0xAF] },
        { "lone surrogate", Encoding.ASCII.GetBytes("hi\\ud800") },
    };

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task AWhatsAppDeliveryStoresAndAnswersItsReadableMessageAndSkipsTheOneWithUnreadableText(string name, byte[] bad)
    {
        _ = name;
        var waId = NewWaId();
        var good = "wamid.good" + Guid.NewGuid().ToString("N");
        var body = WhatsAppMessages(waId, Message(waId, good, Utf8("What does your CRM cost for 5 people?")), Message(waId, "wamid.bad" + Guid.NewGuid().ToString("N"), bad));

        using var response = await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, WhatsAppAppSecret));

        var counts = await response.JsonAsync();
        Assert.Equal((1, 1), (counts.GetProperty("accepted").GetInt32(), counts.GetProperty("skipped").GetInt32()));
        var reply = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1))[0];
        var inbound = (await App.Http.GetJsonAsync($"/api/conversations/{reply.Str("conversationId")}")).GetProperty("messages").EnumerateArray().Where(m => m.Str("direction") == "inbound").ToArray();
        Assert.Equal("What does your CRM cost for 5 people?", Assert.Single(inbound).Str("text"));
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task AWhatsAppDeliveryWithAnUnreadableMessageIdSkipsThatMessageInsteadOfStoringAMangledId(string name, byte[] bad)
    {
        _ = name;
        var waId = NewWaId();
        var badId = Utf8("wamid.").Concat(bad).ToArray();
        var body = WhatsAppMessages(waId, Message(waId, "wamid.good" + Guid.NewGuid().ToString("N"), Utf8("Hello, do you offer a demo?")), Message(waId, badId, Utf8("and a second question")));

        var counts = await (await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, WhatsAppAppSecret))).JsonAsync();

        Assert.Equal((1, 1), (counts.GetProperty("accepted").GetInt32(), counts.GetProperty("skipped").GetInt32()));
    }

    [Fact]
    public async Task AWhatsAppDeliveryWhoseOnlyMessageIsUnreadableIsABadRequestNamingTheField()
    {
        var waId = NewWaId();
        var body = WhatsAppMessages(waId, Message(waId, "wamid.bad" + Guid.NewGuid().ToString("N"), [(byte)'h', 0xFF]));

        await ApiJson.AssertProblemAsync(await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, WhatsAppAppSecret)), HttpStatusCode.BadRequest, "messages[].text.body");
    }

    [Fact]
    public async Task AWhatsAppStatusWithAnUnreadableIdIsABadRequestNamingTheField()
    {
        var body = Encoding.UTF8.GetBytes("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"statuses\":[{\"id\":\"wamid.\\ud800\",\"status\":\"read\",\"timestamp\":\"1700000000\",\"recipient_id\":\"491700000000\"}]}}]}]}");

        await ApiJson.AssertProblemAsync(await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, WhatsAppAppSecret)), HttpStatusCode.BadRequest, "statuses[].id");
    }

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task AnUnreadableProfileNameIsLeftOutAndTheMessageIsStillAnswered(string name, byte[] bad)
    {
        _ = name;
        var waId = NewWaId();
        var message = Message(waId, "wamid.name" + Guid.NewGuid().ToString("N"), Utf8("Hi, what does it cost?"));
        var body = Concat("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"106540352242922\"},\"contacts\":[{\"profile\":{\"name\":\"", bad, $"\"}},\"wa_id\":\"{waId}\"}}],\"messages\":[", message, "]}}]}]}");

        var counts = await (await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", body, WhatsAppAppSecret))).JsonAsync();

        Assert.Equal(1, counts.GetProperty("accepted").GetInt32());
        var reply = (await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1))[0];
        Assert.Equal(JsonValueKind.Null, (await App.Http.GetJsonAsync($"/api/leads/{reply.Str("leadId")}")).GetProperty("name").ValueKind);
    }

    [Fact]
    public async Task ATwilioMessageWithPercentEncodedInvalidBytesInItsBodyIsABadRequestAndStoresNothing()
    {
        var from = "+1415" + Random.Shared.Next(2_000_000, 9_999_999);
        var raw = $"MessageSid=SM{Guid.NewGuid():N}&From={Uri.EscapeDataString(from)}&To=%2B15005550006&NumMedia=0&Body=hi%FF%FE";

        await ApiJson.AssertProblemAsync(await App.Http.SendAsync(SignedTwilioRaw(raw)), HttpStatusCode.BadRequest, "Body");
        Assert.DoesNotContain(await App.Http.OutboxAsync(), i => i.Str("recipient") == from);
    }

    [Fact]
    public async Task TwoTwilioMessageIdsThatDifferOnlyInAnInvalidByteAndItsEscapeDoNotCollide()
    {
        var from = "+1415" + Random.Shared.Next(2_000_000, 9_999_999);
        var sid = "SM" + Guid.NewGuid().ToString("N");

        // "%25FF" is the readable text "%FF"; "%FF" alone is the byte 0xFF. Read leniently both would be the id "SM…%FF".
        var readable = await (await App.Http.SendAsync(SignedTwilioRaw($"MessageSid={sid}%25FF&From={Uri.EscapeDataString(from)}&To=%2B15005550006&Body=Hello"))).Content.ReadAsStringAsync();
        Assert.Contains("<Response>", readable, StringComparison.Ordinal);

        await ApiJson.AssertProblemAsync(await App.Http.SendAsync(SignedTwilioRaw($"MessageSid={sid}%FF&From={Uri.EscapeDataString(from)}&To=%2B15005550006&Body=Hello")), HttpStatusCode.BadRequest, "MessageSid");
    }

    [Fact]
    public async Task AnEmailWithAnUnreadableFromIsABadRequestNamingTheField()
    {
        using var form = Email("jonas@example.com", "Hello, what does it cost?", from: Concat("Jonas <jonas", new byte[] { 0xFF }, "@example.com>"));

        await ApiJson.AssertProblemAsync(await App.Anonymous().PostAsync($"/api/webhooks/email/demo?key={EmailWebhookSecret}", form), HttpStatusCode.BadRequest, "from");
    }

    [Fact]
    public async Task AnEmailWithAnUnreadableMessageIdIsABadRequestInsteadOfAMangledId()
    {
        var address = $"lead{Guid.NewGuid():N}@example.com";
        using var form = Email(address, "Hello, what does it cost?", headers: Concat($"Message-ID: <{Guid.NewGuid():N}", new byte[] { 0xFF }, $"@mail.example.com>\nFrom: {address}\n"));

        await ApiJson.AssertProblemAsync(await App.Anonymous().PostAsync($"/api/webhooks/email/demo?key={EmailWebhookSecret}", form), HttpStatusCode.BadRequest, "headers");
    }

    [Fact]
    public async Task AnEmailWithUnreadableCharsetsOrEnvelopeIsStillStoredAndAnswered()
    {
        var address = $"lead{Guid.NewGuid():N}@example.com";
        using var form = Email(
            address,
            "Hello, what does your CRM cost for 5 users?",
            envelope: Utf8($"{{\"to\":[\"sales@demo.example\"],\"from\":\"{address}\\ud800\"}}"),
            charsets: Concat("{\"text\":\"utf-8\",\"", new byte[] { 0xFF }, "\":\"utf-8\"}"));

        using var response = await App.Anonymous().PostAsync($"/api/webhooks/email/demo?key={EmailWebhookSecret}", form);

        Assert.Equal(1, (await response.JsonAsync()).GetProperty("accepted").GetInt32());
        await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == address).ToArray(), i => i.Length == 1, because: "the e-mail is answered");
    }

    [Fact]
    public async Task AKnowledgeSearchModeThatIsAListOfModesIsRefused()
    {
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/search", new { query = "price", mode = "keyword,vector" }), HttpStatusCode.BadRequest, "mode");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/search", new { query = "price", mode = " 1" }), HttpStatusCode.BadRequest, "mode");
    }

    public static TheoryData<string> EmptyLooking => new() { "\u200b\u200b\u200b", "\u0000", "\u200e\u200f\u202e", " \u2060\ufeff\t" };

    [Theory]
    [MemberData(nameof(EmptyLooking))]
    public async Task AnEmptyLookingMessageFromTheApiIsRefusedNamingMessage(string text)
    {
        var from = "+4915112" + Random.Shared.Next(100000, 999999);
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/conversations", new { channel = "sms", from, message = text }), HttpStatusCode.BadRequest, "message");

        var start = await App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from, message = "Hello" });
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = text }), HttpStatusCode.BadRequest, "message");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/chat/stream", new { conversationId = start.Str("conversationId"), message = text }), HttpStatusCode.BadRequest, "message");
        Assert.Single(await App.Http.OutboxAsync(start.Str("leadId")));
    }

    [Fact]
    public async Task AMessageThatIsNotUtf8TextIsRefusedNamingMessage()
    {
        var from = "+4915112" + Random.Shared.Next(100000, 999999);
        foreach (var body in new[] { Utf8($"{{\"channel\":\"sms\",\"from\":\"{from}\",\"message\":\"hi\\ud800\"}}"), Concat($"{{\"channel\":\"sms\",\"from\":\"{from}\",\"message\":\"hi", new byte[] { 0xFF }, "\"}") })
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            await ApiJson.AssertProblemAsync(await App.Http.PostAsync("/api/conversations", content), HttpStatusCode.BadRequest, "message");
        }

        Assert.DoesNotContain(await App.Http.OutboxAsync(), i => i.Str("recipient") == from);
    }

    [Theory]
    [MemberData(nameof(EmptyLooking))]
    public async Task AnEmptyLookingWebhookMessageIsStoredButGetsNoReply(string text)
    {
        var waId = NewWaId();
        var counts = await (await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid.empty" + Guid.NewGuid().ToString("N"), text), WhatsAppAppSecret))).JsonAsync();
        Assert.Equal(1, counts.GetProperty("accepted").GetInt32());
        await Task.Delay(1500); // a turn for it (burst window 0.3 s) would have run by now
        Assert.DoesNotContain(await App.Http.OutboxAsync(), i => i.Str("recipient") == "+" + waId);

        // The lead's next real message is answered once, and the empty-looking one is in the conversation.
        await (await App.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid.real" + Guid.NewGuid().ToString("N"), "Do you offer a demo?"), WhatsAppAppSecret))).JsonAsync();
        var reply = Assert.Single(await Eventually.ReturnsAsync(async () => (await App.Http.OutboxAsync()).Where(i => i.Str("recipient") == "+" + waId).ToArray(), i => i.Length == 1));
        var inbound = (await App.Http.GetJsonAsync($"/api/conversations/{reply.Str("conversationId")}")).GetProperty("messages").EnumerateArray().Where(m => m.Str("direction") == "inbound");
        Assert.Equal(2, inbound.Count());
    }

    [Theory]
    [InlineData("\u0000\u202e")]
    [InlineData("\u200b")]
    [InlineData("Products\u0000")]
    [InlineData("Pro\u0007ducts")]
    public async Task ANameOrLabelThatIsInvisibleOrHoldsControlCharactersIsRefused(string bad)
    {
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/knowledge/bases", new { name = bad }), HttpStatusCode.BadRequest, "name");
        var kb = (await App.Http.PostJsonAsync("/api/knowledge/bases", new { name = "Labels " + Guid.NewGuid().ToString("N")[..6] })).Str("id");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync($"/api/knowledge/bases/{kb}/documents", new { title = bad, contentType = "text/plain", content = "The Pro plan costs 99 EUR." }), HttpStatusCode.BadRequest, "title");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsJsonAsync("/api/conversations", new { channel = "sms", from = "+4915112" + Random.Shared.Next(100000, 999999), name = bad, message = "Hello" }), HttpStatusCode.BadRequest, "name");

        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppFixture.AdminKey);
        await ApiJson.AssertProblemAsync(await admin.PostAsJsonAsync("/api/admin/clients", new { id = "label-" + Guid.NewGuid().ToString("N")[..8], name = bad }), HttpStatusCode.BadRequest, "name");
        Assert.Equal(0, (await App.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats")).GetProperty("documents").GetInt32());
    }

    [Fact]
    public async Task ATextDocumentThatIsNotUtf8IsRefusedNamingContent()
    {
        var kb = (await App.Http.PostJsonAsync("/api/knowledge/bases", new { name = "Bytes " + Guid.NewGuid().ToString("N")[..6] })).Str("id");

        var plain = new ByteArrayContent(Concat("The Pro plan costs 99 ", new byte[] { 0xFF, 0xFE }, " per month."));
        plain.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/knowledge/bases/{kb}/documents", plain), HttpStatusCode.BadRequest, "content");

        var json = new StringContent("{\"contentType\":\"text/plain\",\"content\":\"The Pro plan \\ud800 costs 99 EUR.\"}", Encoding.UTF8, "application/json");
        await ApiJson.AssertProblemAsync(await App.Http.PostAsync($"/api/knowledge/bases/{kb}/documents", json), HttpStatusCode.BadRequest, "content");
        Assert.Equal(0, (await App.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats")).GetProperty("documents").GetInt32());
    }

    [Fact]
    public async Task AnAuthorizationHeaderWithANulByteGetsProblemJsonOverARawSocket()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, App.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Concat($"GET /api/outbox HTTP/1.1\r\nHost: 127.0.0.1:{App.Port}\r\nAuthorization: Bearer {ApiKey}", new byte[] { 0x00 }, "x\r\nConnection: close\r\n\r\n"));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"field\":\"Authorization\"", response, StringComparison.Ordinal);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Text and raw byte runs joined into one body.</summary>
    private static byte[] Concat(params object[] parts) =>
        parts.SelectMany(p => p switch { string s => Utf8(s), byte[] b => b, _ => throw new ArgumentException("text or bytes", nameof(parts)) }).ToArray();

    /// <summary>One WhatsApp text message whose id and body are given as raw bytes (so they may be invalid UTF-8).</summary>
    private static byte[] Message(string waId, object id, byte[] text) =>
        Concat($"{{\"from\":\"{waId}\",\"id\":\"", id is string s ? Utf8(s) : (byte[])id, $"\",\"timestamp\":\"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\",\"type\":\"text\",\"text\":{{\"body\":\"", text, "\"}}");

    /// <summary>Meta's envelope around several messages from one contact.</summary>
    private static byte[] WhatsAppMessages(string waId, params byte[][] messages)
    {
        var joined = new List<byte>();
        foreach (var m in messages)
        {
            if (joined.Count > 0)
            {
                joined.Add((byte)',');
            }

            joined.AddRange(m);
        }

        return Concat(
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"106540352242922\"},",
            $"\"contacts\":[{{\"profile\":{{\"name\":\"Anna Meyer\"}},\"wa_id\":\"{waId}\"}}],\"messages\":[",
            joined.ToArray(),
            "]}}]}]}");
    }

    /// <summary>
    /// A Twilio form body sent as given, signed over the fields as SalesFlow reads them for the signature (an escape
    /// that is not UTF-8 stays as written): Twilio itself only ever sends UTF-8, so only a holder of the token can send this.
    /// </summary>
    private HttpRequestMessage SignedTwilioRaw(string rawForm)
    {
        var url = new Uri(App.BaseUrl, "/api/webhooks/twilio/demo").ToString();
        var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(rawForm).Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString()));
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(rawForm, Encoding.ASCII, "application/x-www-form-urlencoded") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Twilio-Signature", Webhooks.TwilioSignatureFor(TwilioAuthToken, url, fields));
        return request;
    }

    /// <summary>
    /// A SendGrid Inbound Parse POST of an e-mail whose domain signed it (SPF and DKIM pass), with the fields a test
    /// spoils given as raw bytes.
    /// </summary>
    private static MultipartFormDataContent Email(string address, string text, byte[]? from = null, byte[]? headers = null, byte[]? envelope = null, byte[]? charsets = null)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(from ?? Utf8($"Jonas Weber <{address}>")), "from" },
            { new StringContent("sales@demo.example"), "to" },
            { new StringContent("Anfrage"), "subject" },
            { new StringContent(text), "text" },
            { new ByteArrayContent(headers ?? Utf8($"Message-ID: <{Guid.NewGuid():N}@mail.example.com>\nFrom: {address}\n")), "headers" },
            { new ByteArrayContent(envelope ?? Utf8($"{{\"to\":[\"sales@demo.example\"],\"from\":\"{address}\"}}")), "envelope" },
            { new StringContent("pass"), "SPF" },
            { new StringContent("{@example.com : pass}"), "dkim" },
        };
        if (charsets is not null)
        {
            form.Add(new ByteArrayContent(charsets), "charsets");
        }

        return form;
    }
}

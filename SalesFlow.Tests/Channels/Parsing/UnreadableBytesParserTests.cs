using System.Text;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;

namespace SalesFlow.Tests.Channels.Parsing;

/// <summary>
/// Provider deliveries whose bytes are not text (invalid UTF-8, overlong sequences, lone surrogate escapes): the
/// parsers keep what they can read, skip by id what they cannot, and never mangle an id or an address.
/// </summary>
public sealed class UnreadableBytesParserTests
{
    private static byte[] Bytes(params object[] parts) =>
        parts.SelectMany(p => p switch { string s => Encoding.UTF8.GetBytes(s), byte[] b => b, _ => throw new ArgumentException("text or bytes", nameof(parts)) }).ToArray();

    private static byte[] WhatsApp(object contactName, params byte[][] messages) => Bytes(
        "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"106540352242922\"},\"contacts\":[{\"profile\":{\"name\":\"",
        contactName,
        "\"},\"wa_id\":\"491701234567\"}],\"messages\":[",
        messages.SelectMany((m, i) => i == 0 ? m : [(byte)',', .. m]).ToArray(),
        "]}}]}]}");

    private static byte[] Text(object id, object body) =>
        Bytes("{\"from\":\"491701234567\",\"id\":\"", id, "\",\"timestamp\":\"1700000000\",\"type\":\"text\",\"text\":{\"body\":\"", body, "\"}}");

    public static TheoryData<byte[]> NotText => new()
    {
        new byte[] { 0xFF },
        new byte[] { 0xC0, 0xAF },
        new byte[] { 0xED, 0xA0, 0x80 },
        Encoding.ASCII.GetBytes("\\ud800"),
        Encoding.ASCII.GetBytes("\\udc00x"),
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public void AWhatsAppMessageWhoseTextIsNotTextIsSkippedByIdAndTheOthersAreKept(byte[] bad)
    {
        var batch = WhatsAppWebhookParser.Parse(WhatsApp("Anna", Text("wamid.good", "Hello"), Text("wamid.bad", Bytes("hi", bad))));

        Assert.Equal("wamid.good", Assert.Single(batch.Messages).ProviderMessageId);
        Assert.Equal(new UnreadableField("messages[].text.body", "wamid.bad", Skipped: true), Assert.Single(batch.Unreadable));
    }

    [Theory]
    [MemberData(nameof(NotText))]
    public void AWhatsAppMessageWhoseIdIsNotTextIsSkippedWithoutAnId(byte[] bad)
    {
        var batch = WhatsAppWebhookParser.Parse(WhatsApp("Anna", Text("wamid.good", "Hello"), Text(Bytes("wamid.", bad), "Hello again")));

        Assert.Equal("wamid.good", Assert.Single(batch.Messages).ProviderMessageId);
        Assert.Equal(new UnreadableField("messages[].id", null, Skipped: true), Assert.Single(batch.Unreadable));
    }

    [Fact]
    public void AWhatsAppDeliveryWithNothingReadableIsAFormatErrorNamingTheField()
    {
        var error = Assert.Throws<WebhookFormatException>(() => WhatsAppWebhookParser.Parse(WhatsApp("Anna", Text("wamid.bad", new byte[] { 0xFF }))));

        Assert.Equal("messages[].text.body", error.Field);
        Assert.DoesNotContain("\uFFFD", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NotText))]
    public void AProfileNameThatIsNotTextIsLeftOutAndTheMessageKept(byte[] bad)
    {
        var batch = WhatsAppWebhookParser.Parse(WhatsApp(Bytes("Anna", bad), Text("wamid.good", "Hello")));

        var message = Assert.Single(batch.Messages);
        Assert.Null(message.FromName);
        Assert.Equal(new UnreadableField("contacts[].profile.name", null, Skipped: false), Assert.Single(batch.Unreadable));
    }

    [Fact]
    public void AWhatsAppStatusWithAnIdThatIsNotTextIsSkippedAndAReadableOneKept()
    {
        var body = Bytes(
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"statuses\":[",
            "{\"id\":\"wamid.", new byte[] { 0xFF }, "\",\"status\":\"read\",\"timestamp\":\"1700000000\"},",
            "{\"id\":\"wamid.ok\",\"status\":\"read\",\"timestamp\":\"1700000000\"}]}}]}]}");

        var batch = WhatsAppWebhookParser.Parse(body);

        Assert.Equal("wamid.ok", Assert.Single(batch.Statuses).ProviderMessageId);
        Assert.Equal("statuses[].id", Assert.Single(batch.Unreadable).Field);
    }

    [Fact]
    public void AnEnvelopeFieldThatIsNotTextIsAFormatErrorNamingIt()
    {
        var body = Bytes("{\"object\":\"whatsapp_business_account\\ud800\",\"entry\":[]}");

        Assert.Equal("object", Assert.Throws<WebhookFormatException>(() => WhatsAppWebhookParser.Parse(body)).Field);
    }

    [Fact]
    public void AFlowResponseWhoseJsonHoldsALoneSurrogateShowsNoAnswersInsteadOfFailing()
    {
        var message = Bytes(
            "{\"from\":\"491701234567\",\"id\":\"wamid.flow\",\"timestamp\":\"1700000000\",\"type\":\"interactive\",\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":{\"name\":\"flow\",\"body\":\"Sent\",",
            "\"response_json\":\"{\\\"flow_token\\\":\\\"\\\\ud800\\\",\\\"size\\\":\\\"\\\\ud800\\\"}\"}}}");

        var parsed = Assert.Single(WhatsAppWebhookParser.Parse(WhatsApp("Anna", message)).Messages);

        Assert.Equal("Sent", parsed.Text);
    }

    [Fact]
    public void ATwilioBodyWithAnEscapeThatIsNotUtf8IsAFormatErrorNamingBody()
    {
        var error = Assert.Throws<WebhookFormatException>(() => TwilioWebhookParser.ParseForm(Bytes("MessageSid=SM1&From=%2B15551234567&Body=hi%FF"), TimeProvider.System));

        Assert.Equal("Body", error.Field);
    }

    [Fact]
    public void ATwilioIdThatIsTheTextPercentFfIsReadAndTheByteFfIsRefused()
    {
        var readable = TwilioWebhookParser.ParseForm(Bytes("MessageSid=SM1%25FF&From=%2B15551234567&Body=Hi+there"), TimeProvider.System);
        Assert.Equal(("SM1%FF", "Hi there"), (readable.Messages[0].ProviderMessageId, readable.Messages[0].Text));

        Assert.Equal("MessageSid", Assert.Throws<WebhookFormatException>(() => TwilioWebhookParser.ParseForm(Bytes("MessageSid=SM1%FF&From=%2B15551234567&Body=Hi"), TimeProvider.System)).Field);
        Assert.Equal("MessageSid", Assert.Throws<WebhookFormatException>(() => TwilioWebhookParser.ParseForm(Bytes("MessageSid=SM1", new byte[] { 0xFF }, "&From=%2B15551234567&Body=Hi"), TimeProvider.System)).Field);
    }

    [Fact]
    public void ATwilioProfileNameThatIsNotTextIsLeftOutAndTheMessageKept()
    {
        var batch = TwilioWebhookParser.ParseForm(Bytes("MessageSid=SM2&From=whatsapp%3A%2B15551234567&Body=Hello&ProfileName=Ann%C0%AF"), TimeProvider.System);

        var message = Assert.Single(batch.Messages);
        Assert.Equal(("SM2", null), (message.ProviderMessageId, message.FromName));
        Assert.Equal(new UnreadableField("ProfileName", "SM2", Skipped: false), Assert.Single(batch.Unreadable));
    }

    [Fact]
    public void AFormIsDecodedLikeTheLenientReaderWhereItIsText()
    {
        var fields = FormUrlEncoded.Read(Bytes("a=1+2&b=%C3%A9%2B&c&d=%G1%&e=%ff"));

        Assert.Equal([("a", "1 2"), ("b", "é+"), ("c", ""), ("d", "%G1%"), ("e", null)], fields);
    }

    private static Task<InboundMessage> Email(params (string Name, byte[] Value)[] fields)
    {
        var body = new List<byte>();
        foreach (var (name, value) in fields)
        {
            body.AddRange(Bytes($"--b0und\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n", value, "\r\n"));
        }

        body.AddRange(Bytes("--b0und--\r\n"));
        return SendGridInboundParser.ParseAsync(new MemoryStream([.. body]), "multipart/form-data; boundary=b0und", CancellationToken.None);
    }

    [Fact]
    public async Task AnEmailWhoseMessageIdIsNotTextIsAFormatErrorNamingHeaders()
    {
        var error = await Assert.ThrowsAsync<WebhookFormatException>(() => Email(
            ("from", Bytes("a@example.com")), ("text", Bytes("Hello")), ("headers", Bytes("Message-ID: <x", new byte[] { 0xFF }, "@example.com>\n"))));

        Assert.Equal("headers", error.Field);
    }

    [Fact]
    public async Task AnEmailWhoseAddressIsNotTextIsAFormatErrorNamingFrom()
    {
        var error = await Assert.ThrowsAsync<WebhookFormatException>(() => Email(("from", Bytes("<jo", new byte[] { 0xFF }, "@example.com>")), ("text", Bytes("Hello"))));

        Assert.Equal("from", error.Field);
    }

    [Fact]
    public async Task AnEmailWithUnreadableCharsetsEnvelopeAndDkimIsReadWithoutThemAndNotAuthenticated()
    {
        var message = await Email(
            ("from", Bytes("Jo <jo@example.com>")),
            ("text", Bytes("Hello")),
            ("charsets", Bytes("{\"", new byte[] { 0xFF }, "\":\"utf-8\"}")),
            ("envelope", Bytes("{\"from\":\"jo@example.com\\ud800\",\"to\":[\"sales@demo.example\"]}")),
            ("dkim", Bytes("{@example.com : pass", new byte[] { 0xFF }, "}")));

        Assert.Equal(("jo@example.com", "Hello", null), (message.From, message.Text, message.To));
        Assert.Equal("false", message.Metadata!["sender_authenticated"]);
    }

    [Fact]
    public async Task AnEmailTextInAWrongCharsetIsKeptWithReplacementCharacters()
    {
        // Mail in the wild often mislabels its charset: the sentence is kept readable rather than the e-mail lost.
        var message = await Email(("from", Bytes("jo@example.com")), ("text", Bytes("Gr", new byte[] { 0xFC }, "\u00DFe, was kostet es?")));

        Assert.Equal("Gr\uFFFD\u00DFe, was kostet es?", message.Text);
    }
}

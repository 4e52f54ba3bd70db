using System.Security.Cryptography;
using System.Text;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;

namespace SalesFlow.Tests.Channels.Parsing;

public class SendGridInboundParserTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static Task<InboundMessage> ParseFixture(string file)
    {
        var (body, contentType) = WebhookFixtures.MultipartRequest("sendgrid", file);
        return SendGridInboundParser.ParseAsync(new MemoryStream(body), contentType, new FixedTime(Now), CancellationToken.None);
    }

    private static Task<InboundMessage> ParseForm(params (string Name, string Value)[] fields)
    {
        var body = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            body.Append("--b0und\r\nContent-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n").Append(value).Append("\r\n");
        }

        body.Append("--b0und--\r\n");
        return SendGridInboundParser.ParseAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(body.ToString())), "multipart/form-data; boundary=b0und", new FixedTime(Now), CancellationToken.None);
    }

    [Fact]
    public async Task DefaultModeFixtureYieldsSenderSubjectAndText()
    {
        var message = await ParseFixture("sendgrid-csharp_inbound_parse_default_data.txt");

        Assert.Equal(ChannelKind.Email, message.Channel);
        Assert.Equal("email", message.Kind);
        Assert.Equal("test@example.com", message.From);
        Assert.Equal("Example User", message.FromName);
        Assert.Equal("inbound@inbound.example.com", message.To);
        Assert.Equal("Hello SendGrid!", message.Text);
        Assert.True(message.Answerable);
        Assert.Equal("Testing non-raw", message.Metadata!["subject"]);
        Assert.Equal("0", message.Metadata["attachment_count"]);
        Assert.Equal(new DateTimeOffset(2016, 8, 10, 18, 10, 13, TimeSpan.FromHours(-7)), message.Timestamp);
    }

    [Fact]
    public async Task WithoutMessageIdTheIdIsTheHashOfFromSubjectAndText()
    {
        var message = await ParseFixture("sendgrid-csharp_inbound_parse_default_data.txt");

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("test@example.com\nTesting non-raw\nHello SendGrid!")));
        Assert.Equal(expected, message.ProviderMessageId);
        Assert.Equal(64, message.ProviderMessageId.Length);
    }

    [Fact]
    public async Task RawModeFixtureTakesTheTextPartOfTheMimeMessage()
    {
        var message = await ParseFixture("sendgrid-csharp_inbound_parse_raw_data_with_attachments.txt");

        Assert.Equal("test@example.com", message.From);
        Assert.Equal("Example User", message.FromName);
        Assert.Equal("Hello SendGrid!", message.Text);
        Assert.DoesNotContain("<strong>", message.Text);
        Assert.Equal("Raw Payload", message.Metadata!["subject"]);
        Assert.Equal("1", message.Metadata["attachment_count"]);
        Assert.Equal(new DateTimeOffset(2016, 8, 15, 13, 47, 21, TimeSpan.FromHours(-7)), message.Timestamp);
    }

    [Fact]
    public void RawEmailFixtureWithBareLineFeedsYieldsTextPartHeadersAndAttachment()
    {
        var mime = MimeMessageText.Read(WebhookFixtures.Bytes("sendgrid", "sendgrid-csharp_inbound_parse_raw_email_with_attachments.txt"));

        Assert.Equal("Hello SendGrid!", mime.PlainText?.Trim());
        Assert.Equal("<html><body><strong>Hello SendGrid!</body></html>", mime.HtmlText?.Trim());
        Assert.Equal("Inbound Parse Test Raw Data with Attachment", mime.Headers["subject"]);
        Assert.Equal("Example User <test@example.com>", mime.Headers["from"]);
        Assert.Equal(1, mime.Attachments);
    }

    [Fact]
    public async Task MessageIdHeaderIsTheProviderIdAndForwardedTextIsKept()
    {
        var message = await ParseFixture("sendgrid-nodejs_inbound_parse_example.txt");

        Assert.Equal("CAGsruKuAJk58E07TRMD28pA+mktpZ1mg2fjr6PAWj19e0jdnFg@mail.gmail.com", message.ProviderMessageId);
        Assert.Equal("aroach@gmail.com", message.From);
        Assert.Equal("Ashley Roach", message.FromName);
        Assert.Equal("test@parse.ashleyroach.com", message.To);
        Assert.Equal("Fwd: testing webhook parse", message.Metadata!["subject"]);
        Assert.Equal("CAGsruKux7HKgwztSSWCae8cMu71_pzgziWZRWYeYNo3aiCkjRw@mail.gmail.com", message.Metadata["in_reply_to"]);
        Assert.StartsWith("---------- Forwarded message ---------", message.Text);
        Assert.EndsWith("this is the body for webhook parse", message.Text);
    }

    [Fact]
    public async Task ReplyHistoryIsStrippedAndAddressIsLowerCased()
    {
        var message = await ParseForm(
            ("from", "\"Doe, Jane\" <Jane.Doe@Example.COM>"),
            ("to", "sales@client.example"),
            ("subject", "Re: Offer"),
            ("headers", "Message-ID: <abc.123@mail.example.com>\r\nSubject: Re: Offer"),
            ("text", "Sounds good, send me the contract.\r\n\r\nOn Mon, 3 Mar 2025 at 10:00, Sales <sales@client.example> wrote:\r\n> Here is our offer.\r\n"));

        Assert.Equal("jane.doe@example.com", message.From);
        Assert.Equal("Doe, Jane", message.FromName);
        Assert.Equal("abc.123@mail.example.com", message.ProviderMessageId);
        Assert.Equal("Sounds good, send me the contract.", message.Text);
        Assert.Equal(Now, message.Timestamp);
    }

    [Fact]
    public async Task HtmlOnlyMailIsConvertedToText()
    {
        var message = await ParseForm(
            ("from", "lead@example.com"),
            ("subject", "Question"),
            ("html", "<html><head><style>p{color:red}</style></head><body><p>Is it &quot;in stock&quot;?</p><p>Thanks &amp; regards<br>Lea</p></body></html>"));

        Assert.Equal("lead@example.com", message.From);
        Assert.Null(message.FromName);
        Assert.Equal("Is it \"in stock\"?\nThanks & regards\nLea", message.Text);
    }

    [Fact]
    public async Task RawModeDecodesQuotedPrintableAndBase64Parts()
    {
        const string qpMail = "From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>\r\nSubject: =?UTF-8?B?QW5mcmFnZSDDvGJlciBQcmVpc2U=?=\r\nMessage-ID: <qp@example.de>\r\n"
            + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
            + "--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
            + "--inner\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Gr=FC=DFe, ich h=E4tte gern ein Angebot f=FCr zehn St=FCck. Das ist eine l=\r\nange Zeile.\r\n"
            + "--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>ignored</p>\r\n--inner--\r\n"
            + "--outer\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--outer--\r\n";
        var message = await ParseForm(("from", "=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>"), ("email", qpMail));

        Assert.Equal("Grüße, ich hätte gern ein Angebot für zehn Stück. Das ist eine lange Zeile.", message.Text);
        Assert.Equal("Jörg Müller", message.FromName);
        Assert.Equal("Anfrage über Preise", message.Metadata!["subject"]);
        Assert.Equal("qp@example.de", message.ProviderMessageId);
        Assert.Equal("1", message.Metadata["attachment_count"]);

        var base64Text = Convert.ToBase64String(Encoding.UTF8.GetBytes("Können Sie morgen anrufen?\r\n"));
        const string header = "From: a@example.de\r\nSubject: Rückruf\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        var base64Message = await ParseForm(("from", "a@example.de"), ("email", header + base64Text + "\r\n"));
        Assert.Equal("Können Sie morgen anrufen?", base64Message.Text);
    }

    [Fact]
    public async Task FileFieldsAreCountedAsAttachments()
    {
        const string body = "--b\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nx@example.com\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nSee attached\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"attachment1\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"attachment2\"; filename=\"b.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n"
            + "--b--\r\n";

        var message = await SendGridInboundParser.ParseAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(body)), "multipart/form-data; boundary=\"b\"", new FixedTime(Now), CancellationToken.None);

        Assert.Equal("2", message.Metadata!["attachment_count"]);
        Assert.Equal("See attached", message.Text);
    }

    [Theory]
    [InlineData("application/json", "Content-Type")]
    [InlineData("", "Content-Type")]
    [InlineData("multipart/form-data", "boundary")]
    public async Task NonMultipartRequestsThrowNamingTheField(string contentType, string field)
    {
        var (body, _) = WebhookFixtures.MultipartRequest("sendgrid", "sendgrid-csharp_inbound_parse_default_data.txt");

        var ex = await Assert.ThrowsAsync<WebhookFormatException>(
            () => SendGridInboundParser.ParseAsync(new MemoryStream(body), contentType, CancellationToken.None));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public async Task MissingFromThrowsNamingTheField()
    {
        var ex = await Assert.ThrowsAsync<WebhookFormatException>(() => ParseForm(("subject", "hi"), ("text", "hello")));

        Assert.Equal("from", ex.Field);
    }

    [Fact]
    public async Task SendGridsOwnFixtureIsAuthenticatedBySpfForTheEnvelopeSenderNotByTheRelaysSignature()
    {
        // From test@example.com, envelope test@example.com, SPF pass; the only DKIM signature is sendgrid.com's.
        var message = await ParseFixture("sendgrid-csharp_inbound_parse_default_data.txt");

        Assert.Equal("true", message.Metadata![EmailAuthentication.AuthenticatedKey]);
        Assert.Equal("spf", message.Metadata[EmailAuthentication.MethodKey]);
        Assert.Equal("{@sendgrid.com : pass}", message.Metadata[EmailAuthentication.DkimKey]);
        Assert.Equal("pass", message.Metadata["spf"]);
    }

    [Fact]
    public async Task AGmailSendersFixtureIsAuthenticatedByDkim()
    {
        var message = await ParseFixture("sendgrid-nodejs_inbound_parse_example.txt");

        Assert.Equal("aroach@gmail.com", message.From);
        Assert.Equal("dkim", message.Metadata![EmailAuthentication.MethodKey]);
    }

    [Fact]
    public async Task AnEmailWithoutSpfOrDkimFieldsIsMarkedUnauthenticatedButStaysAnswerableForIntakeToDecide()
    {
        var message = await ParseForm(("from", "Anna <anna@example.com>"), ("text", "STOP"));

        Assert.Equal("false", message.Metadata![EmailAuthentication.AuthenticatedKey]);
        Assert.False(message.Metadata.ContainsKey(EmailAuthentication.MethodKey));
        Assert.True(message.Answerable);
    }

    [Fact]
    public async Task ALookAlikeDomainsSignatureDoesNotAuthenticateTheFromAddress()
    {
        var message = await ParseForm(
            ("from", "Anna <anna@example.com>"),
            ("text", "Hello"),
            ("SPF", "softfail"),
            ("dkim", "{@evilexample.com : pass}"),
            ("envelope", "{\"to\":[\"sales@demo.example\"],\"from\":\"anna@evilexample.com\"}"));

        Assert.Equal("false", message.Metadata![EmailAuthentication.AuthenticatedKey]);
        Assert.Equal("{@evilexample.com : pass}", message.Metadata[EmailAuthentication.DkimKey]);
    }
}

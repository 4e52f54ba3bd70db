using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;

namespace SalesFlow.Tests.Channels.Parsing;

public class TwilioWebhookParserTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static Dictionary<string, string> FixtureForm()
    {
        var body = Encoding.UTF8.GetString(WebhookFixtures.Bytes("twilio", "twilio_inbound_sms_body.form"));
        return QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    [Fact]
    public void FixtureInboundSmsBecomesAnSmsMessage()
    {
        var batch = TwilioWebhookParser.Parse(FixtureForm(), new FixedTime(Now));

        Assert.Empty(batch.Statuses);
        var message = Assert.Single(batch.Messages);
        Assert.Equal(ChannelKind.Sms, message.Channel);
        Assert.Equal("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", message.ProviderMessageId);
        Assert.Equal("+15017122661", message.From);
        Assert.Equal("+15558675310", message.To);
        Assert.Equal("Ahoy", message.Text);
        Assert.Equal("text", message.Kind);
        Assert.True(message.Answerable);
        Assert.Equal(Now, message.Timestamp);
        Assert.Null(message.FromName);
        Assert.Equal("US", message.Metadata!["FromCountry"]);
    }

    [Fact]
    public void FixtureJsonBodyAndUrlencodedBodyAgree()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(WebhookFixtures.Bytes("twilio", "twilio_inbound_sms_event.json"));
        var jsonForm = doc.RootElement.GetProperty("body").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

        var fromJson = Assert.Single(TwilioWebhookParser.Parse(jsonForm, new FixedTime(Now)).Messages);
        var fromForm = Assert.Single(TwilioWebhookParser.Parse(FixtureForm(), new FixedTime(Now)).Messages);

        Assert.Equal(fromForm.ProviderMessageId, fromJson.ProviderMessageId);
        Assert.Equal(fromForm.From, fromJson.From);
        Assert.Equal(fromForm.Text, fromJson.Text);
    }

    [Fact]
    public void SmsMessageSidIsUsedWhenMessageSidIsAbsent()
    {
        var form = FixtureForm();
        form.Remove("MessageSid");
        form["SmsMessageSid"] = "SMfallback";

        Assert.Equal("SMfallback", Assert.Single(TwilioWebhookParser.Parse(form, new FixedTime(Now)).Messages).ProviderMessageId);
    }

    [Fact]
    public void WhatsAppPrefixSelectsTheWhatsAppChannelAndIsStripped()
    {
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM123",
            ["From"] = "whatsapp:+4915112345678",
            ["To"] = "whatsapp:+14155238886",
            ["Body"] = "Hallo",
            ["ProfileName"] = "Max",
            ["NumMedia"] = "0",
        };

        var message = Assert.Single(TwilioWebhookParser.Parse(form, new FixedTime(Now)).Messages);

        Assert.Equal(ChannelKind.WhatsApp, message.Channel);
        Assert.Equal("+4915112345678", message.From);
        Assert.Equal("+14155238886", message.To);
        Assert.Equal("Max", message.FromName);
        Assert.Equal("Hallo", message.Text);
    }

    [Fact]
    public void MediaWithoutBodyIsDescribedAndKeepsTheMediaUrl()
    {
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = "MM123",
            ["From"] = "+15017122661",
            ["To"] = "+15558675310",
            ["Body"] = "",
            ["NumMedia"] = "1",
            ["MediaUrl0"] = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM123/Media/ME1",
            ["MediaContentType0"] = "image/jpeg",
        };

        var message = Assert.Single(TwilioWebhookParser.Parse(form, new FixedTime(Now)).Messages);

        Assert.Equal("image", message.Kind);
        Assert.Equal("[image]", message.Text);
        Assert.True(message.Answerable);
        Assert.Equal("image/jpeg", message.Metadata!["media_content_type_0"]);
        Assert.EndsWith("/Media/ME1", message.Metadata["media_url_0"]);
    }

    [Theory]
    [InlineData("sent", "sent")]
    [InlineData("delivered", "delivered")]
    [InlineData("read", "read")]
    [InlineData("failed", "failed")]
    [InlineData("undelivered", "failed")]
    [InlineData("queued", "queued")]
    public void StatusCallbackBecomesADeliveryUpdate(string twilioStatus, string expected)
    {
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM999",
            ["MessageStatus"] = twilioStatus,
            ["SmsStatus"] = twilioStatus,
            ["From"] = "+15558675310",
            ["To"] = "+15017122661",
            ["AccountSid"] = "AC1",
        };

        var batch = TwilioWebhookParser.Parse(form, new FixedTime(Now));

        Assert.Empty(batch.Messages);
        var update = Assert.Single(batch.Statuses);
        Assert.Equal(ChannelKind.Sms, update.Channel);
        Assert.Equal("SM999", update.ProviderMessageId);
        Assert.Equal(expected, update.Status);
        Assert.Equal(Now, update.Timestamp);
        Assert.Null(update.Error);
    }

    [Fact]
    public void UndeliveredStatusCarriesTheErrorCode()
    {
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM999",
            ["MessageStatus"] = "undelivered",
            ["ErrorCode"] = "30003",
            ["From"] = "whatsapp:+14155238886",
            ["To"] = "whatsapp:+15017122661",
        };

        var update = Assert.Single(TwilioWebhookParser.Parse(form, new FixedTime(Now)).Statuses);

        Assert.Equal(ChannelKind.WhatsApp, update.Channel);
        Assert.Equal("failed", update.Status);
        Assert.Equal("Twilio error 30003", update.Error);
    }

    [Fact]
    public void MessageStatusWithBodyIsStillAnInboundMessage()
    {
        var form = FixtureForm();
        form["MessageStatus"] = "received";

        var batch = TwilioWebhookParser.Parse(form, new FixedTime(Now));

        Assert.Single(batch.Messages);
        Assert.Empty(batch.Statuses);
    }

    [Fact]
    public void MissingMessageSidThrowsNamingTheField()
    {
        var form = FixtureForm();
        form.Remove("MessageSid");
        form.Remove("SmsMessageSid");
        form.Remove("SmsSid");

        var ex = Assert.Throws<WebhookFormatException>(() => TwilioWebhookParser.Parse(form, new FixedTime(Now)));
        Assert.Equal("MessageSid", ex.Field);
    }

    [Fact]
    public void MissingFromThrowsNamingTheField()
    {
        var form = FixtureForm();
        form.Remove("From");

        var ex = Assert.Throws<WebhookFormatException>(() => TwilioWebhookParser.Parse(form, new FixedTime(Now)));
        Assert.Equal("From", ex.Field);
    }

    [Fact]
    public void DefaultOverloadUsesTheSystemClock()
    {
        var before = DateTimeOffset.UtcNow;
        var message = Assert.Single(TwilioWebhookParser.Parse(FixtureForm()).Messages);

        Assert.InRange(message.Timestamp, before, DateTimeOffset.UtcNow);
    }
}

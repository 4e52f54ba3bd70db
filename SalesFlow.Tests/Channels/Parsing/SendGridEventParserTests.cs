using System.Text;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;

namespace SalesFlow.Tests.Channels.Parsing;

public class SendGridEventParserTests
{
    [Fact]
    public void FixtureWithBomYieldsOneUpdatePerDeliveryEvent()
    {
        var bytes = WebhookFixtures.Bytes("sendgrid", "sendgrid-csharp_event_webhook_events.json");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);

        var batch = SendGridInboundParser.ParseEvents(bytes);

        // 11 events: processed, deferred, delivered, open, bounce, dropped are delivery states;
        // click, spamreport, unsubscribe, group_unsubscribe, group_resubscribe are not.
        Assert.Empty(batch.Messages);
        Assert.Equal(["sent", "sent", "delivered", "read", "failed", "failed"], batch.Statuses.Select(s => s.Status));
        Assert.All(batch.Statuses, s =>
        {
            Assert.Equal(ChannelKind.Email, s.Channel);
            Assert.Equal("sg_message_id", s.ProviderMessageId);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1513299569), s.Timestamp);
        });
        Assert.Equal([null, null, null, null, "500 unknown recipient", "Bounced Address"], batch.Statuses.Select(s => s.Error));
    }

    [Fact]
    public void FullSgMessageIdIsKeptAndItsPrefixIsTheXMessageId()
    {
        const string json = """[{"email":"a@b.c","timestamp":1539462305,"event":"delivered","sg_event_id":"e1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"}]""";

        var update = Assert.Single(SendGridInboundParser.ParseEvents(Encoding.UTF8.GetBytes(json)).Statuses);

        Assert.Equal("14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0", update.ProviderMessageId);
        Assert.Equal("14c5d75ce93", SendGridInboundParser.SendGridXMessageId(update.ProviderMessageId));
    }

    [Fact]
    public void EventsWithoutMessageIdAreSkipped()
    {
        const string json = """[{"email":"a@b.c","timestamp":1539462305,"event":"bounce","reason":"x"}]""";

        Assert.Same(WebhookBatch.Empty, SendGridInboundParser.ParseEvents(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("{\"event\":\"delivered\"}")]
    [InlineData("not json")]
    [InlineData("[1]")]
    public void MalformedBodiesThrowWebhookFormatException(string body)
    {
        var ex = Assert.Throws<WebhookFormatException>(() => SendGridInboundParser.ParseEvents(Encoding.UTF8.GetBytes(body)));
        Assert.Equal("body", ex.Field);
    }
}

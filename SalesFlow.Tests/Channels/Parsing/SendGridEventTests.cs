using System.Text;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Tests.Channels.Parsing;

/// <summary>The Event Webhook as the delivery route reads it, on SendGrid's own sample of every event type.</summary>
public class SendGridEventTests
{
    [Fact]
    public void EveryEventOfSendGridsSampleIsReadWithItsEffect()
    {
        var events = SendGridEvent.ParseBatch(WebhookFixtures.Bytes("sendgrid", "sendgrid-csharp_event_webhook_events.json"));

        Assert.Equal(11, events.Count);
        var byType = events.ToDictionary(e => e.Event);
        Assert.Equal(OutboxStatus.Sent, byType["processed"].Status);
        Assert.Equal(OutboxStatus.Delivered, byType["delivered"].Status);
        Assert.Equal(OutboxStatus.Read, byType["open"].Status);
        Assert.Equal([OutboxStatus.Failed, OutboxStatus.Failed, OutboxStatus.Failed], new[] { "bounce", "dropped", "spamreport" }.Select(t => byType[t].Status));
        Assert.Equal(["bounce", "dropped", "spamreport"], events.Where(e => e.SuppressesAddress).Select(e => e.Event));
        Assert.All(new[] { "deferred", "click", "unsubscribe", "group_unsubscribe", "group_resubscribe" }, t => Assert.Null(byType[t].Status));
        Assert.All(events, e => Assert.Equal(("sg_event_id", "sg_message_id", "example@test.com"), (e.EventId, e.XMessageId, e.Email)));
        Assert.Equal("sendgrid bounce: 500 unknown recipient", byType["bounce"].Describe());
    }

    [Fact]
    public void TheXMessageIdIsTheFullSgMessageIdsPartBeforeTheFirstDot()
    {
        const string json = """[{"email":"a@b.c","timestamp":1539462305,"event":"delivered","sg_event_id":"e1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"}]""";

        Assert.Equal("14c5d75ce93", Assert.Single(SendGridEvent.ParseBatch(Encoding.UTF8.GetBytes(json))).XMessageId);
    }

    [Theory]
    [InlineData("""{"event":"delivered"}""", "body")]
    [InlineData("not json", "body")]
    [InlineData("[1]", "[0]")]
    [InlineData("""[{"sg_event_id":"e1"}]""", "[0].event")]
    [InlineData("""[{"event":"open","sg_event_id":"e1"},{"event":"open"}]""", "[1].sg_event_id")]
    [InlineData("""[{"event":"bounce","sg_event_id":"e1","sg_message_id":"m1.x"}]""", "[0].email")]
    [InlineData("""[{"event":"open","sg_event_id":7}]""", "[0].sg_event_id")]
    public void AMalformedBatchIsRefusedNamingTheField(string body, string field)
    {
        var refused = Assert.Throws<WebhookFormatException>(() => SendGridEvent.ParseBatch(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(field, refused.Field);
    }
}

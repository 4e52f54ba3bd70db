using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Tests.Support;

/// <summary>An outbox item in a given status, as a delivery report would find it (for the status webhooks' tests).</summary>
public static class OutboxSeeds
{
    public static OutboxItem Reply(string clientId, string leadId, string status, string? providerId, ChannelKind channel, string recipient)
    {
        var id = Ids.New("out");
        var now = DateTimeOffset.UtcNow;
        return new OutboxItem
        {
            Id = id,
            ClientId = clientId,
            LeadId = leadId,
            ConversationId = "conv_1",
            Channel = channel,
            Recipient = recipient,
            Text = "Thanks for your message",
            IdempotencyKey = "key-" + id,
            Status = status,
            ProviderMessageId = providerId,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}

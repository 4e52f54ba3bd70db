using SalesFlow.Core.Channels;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Core.Conversations;

public enum MessageDirection
{
    Inbound,
    Outbound,
}

/// <summary>A message in a lead's conversation. Inbound ones carry a store-assigned <see cref="Seq"/>.</summary>
public sealed record Message
{
    /// <summary>
    /// The conversation's copy of an outbound outbox item (a reply, a follow-up step): same id as the item, so a re-run
    /// that finds the item finds its copy too; <paramref name="extraMetadata"/> adds to "to" and "purpose".
    /// </summary>
    public static Message OutboundCopyOf(OutboxItem item, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var metadata = new Dictionary<string, string> { ["to"] = item.Recipient, ["purpose"] = item.Purpose };
        foreach (var (key, value) in extraMetadata ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        return new Message
        {
            Id = item.Id,
            ClientId = item.ClientId,
            LeadId = item.LeadId,
            ConversationId = item.ConversationId,
            Direction = MessageDirection.Outbound,
            Channel = item.Channel,
            Kind = "text",
            Text = item.Text,
            Answerable = false,
            Metadata = metadata,
            CreatedAt = item.CreatedAt,
        };
    }

    public required string Id { get; init; }
    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    public required string ConversationId { get; init; }
    public MessageDirection Direction { get; init; }
    public ChannelKind Channel { get; init; }
    public string Kind { get; init; } = "text";
    public string Text { get; init; } = "";
    public string? ProviderMessageId { get; init; }
    public bool Answerable { get; init; } = true;
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Order of arrival, assigned by the store on insert, and anew when a held-back message is readmitted (<see cref="IConversationStore.ReadmitInboundAsync"/>).</summary>
    public long Seq { get; init; }

    /// <summary>Whether another read of this message carries the same verdict (answerable flag and metadata): the guard of a readmit.</summary>
    public bool HasSameVerdictAs(Message other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Answerable == other.Answerable
            && Metadata.Count == other.Metadata.Count
            && Metadata.All(m => other.Metadata.TryGetValue(m.Key, out var value) && value == m.Value);
    }
}

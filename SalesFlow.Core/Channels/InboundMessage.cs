namespace SalesFlow.Core.Channels;

/// <summary>
/// One message from a lead, normalised from whatever the provider delivered.
/// </summary>
/// <param name="Channel">Where it came from.</param>
/// <param name="ProviderMessageId">The provider's id (wamid, MessageSid, Message-ID); the dedupe key.</param>
/// <param name="From">The sender's raw address: a phone number (any format) or an e-mail address.</param>
/// <param name="FromName">The sender's display name when the provider tells it.</param>
/// <param name="To">The client's address the message was sent to, when known.</param>
/// <param name="Text">What the lead wrote; for non-text kinds a short human-readable description.</param>
/// <param name="Kind">text, image, audio, video, document, sticker, location, contacts, reaction, button,
/// interactive, order, system, unsupported, edit, revoke, email, ...</param>
/// <param name="Timestamp">When the provider says the lead sent it.</param>
/// <param name="Answerable">False for kinds that must be stored but never answered (reactions, revokes, system notices).</param>
/// <param name="Metadata">Provider details worth keeping (media id, mime type, coordinates, subject, ...).</param>
public sealed record InboundMessage(
    ChannelKind Channel,
    string ProviderMessageId,
    string From,
    string? FromName,
    string? To,
    string Text,
    string Kind,
    DateTimeOffset Timestamp,
    bool Answerable = true,
    IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>A provider's report about a message we sent (sent, delivered, read, failed).</summary>
/// <param name="OutboxId">
/// Our outbox id when the vendor echoes what the send attached (WhatsApp <c>biz_opaque_callback_data</c>, the Twilio
/// status callback URL's <c>outboxId</c>): it finds an item whose send was never recorded (in doubt).
/// </param>
public sealed record DeliveryStatusUpdate(
    ChannelKind Channel,
    string ProviderMessageId,
    string Status,
    DateTimeOffset Timestamp,
    string? Error = null,
    string? OutboxId = null);

/// <summary>Everything one webhook delivery carried.</summary>
public sealed record WebhookBatch(IReadOnlyList<InboundMessage> Messages, IReadOnlyList<DeliveryStatusUpdate> Statuses)
{
    public static WebhookBatch Empty { get; } = new([], []);

    /// <summary>Fields whose bytes were not text: the items they belong to were skipped, or the field was left out.</summary>
    public IReadOnlyList<UnreadableField> Unreadable { get; init; } = [];
}

/// <summary>
/// A field of a delivery whose bytes are not text (invalid UTF-8, an overlong sequence, a lone surrogate escape).
/// </summary>
/// <param name="Field">Where it was, e.g. <c>messages[].text.body</c>.</param>
/// <param name="Id">The provider id of the message or status it belongs to, when that id is readable; never the content.</param>
/// <param name="Skipped">True when the whole message or status was skipped; false when only this optional field was left out.</param>
public sealed record UnreadableField(string Field, string? Id, bool Skipped);

/// <summary>The delivery is not in the provider's format; answered with 400 and nothing stored.</summary>
public sealed class WebhookFormatException(string message, string field = "body") : Exception(message)
{
    public string Field { get; } = field;
}

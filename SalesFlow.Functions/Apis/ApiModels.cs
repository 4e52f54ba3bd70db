using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Leads;

namespace SalesFlow.Functions.Apis;

public sealed record StartConversationRequest(string? Channel, string? From, string? Name, string? Message);

public sealed record PostMessageRequest(string? Message);

public sealed record AnalyzeRequest(string? Text);

public sealed record MessageDto(string Id, string Direction, string Channel, string Kind, string Text, DateTimeOffset CreatedAt)
{
    public static MessageDto From(Message m) => new(m.Id, m.Direction == MessageDirection.Inbound ? "inbound" : "outbound", m.Channel.ToWire(), m.Kind, m.Text, m.CreatedAt);
}

public sealed record StateChangeDto(string From, string To, string Reason, DateTimeOffset At)
{
    public static StateChangeDto Of(StateChange c) => new(c.From.ToWire(), c.To.ToWire(), c.Reason, c.At);
}

public sealed record ConversationDto(string Id, string LeadId, string State, int TurnCount, string LastChannel, IReadOnlyList<StateChangeDto> History, IReadOnlyList<MessageDto> Messages)
{
    public static ConversationDto From(Conversation c, IReadOnlyList<Message> messages) =>
        new(c.Id, c.LeadId, c.State.ToWire(), c.TurnCount, c.LastChannel.ToWire(), c.History.Select(StateChangeDto.Of).ToList(), messages.Select(MessageDto.From).ToList());
}

public sealed record IdentityDto(string Kind, string Value);

public sealed record LeadDto(
    string Id,
    string? Name,
    string? Email,
    string? Phone,
    string? Language,
    bool Escalated,
    string? EscalationReason,
    bool OptedOut,
    string? ConversationId,
    string? State,
    IReadOnlyList<IdentityDto> Identities,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static LeadDto From(Lead l, Conversation? c, IReadOnlyList<ChannelIdentity> identities) =>
        new(l.Id, l.Name, l.Email, l.Phone, l.Language, l.Escalated, l.EscalationReason, l.OptedOut, c?.Id, c?.State.ToWire(),
            identities.Select(i => new IdentityDto(i.Kind.ToString().ToLowerInvariant(), i.Value)).ToList(), l.CreatedAt, l.UpdatedAt);
}

public sealed record OutboxItemDto(string Id, string LeadId, string ConversationId, string Channel, string Recipient, string Text, string Status, string Purpose, string IdempotencyKey, string? ProviderMessageId, string? Error, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static OutboxItemDto From(OutboxItem o) =>
        new(o.Id, o.LeadId, o.ConversationId, o.Channel.ToWire(), o.Recipient, o.Text, o.Status, o.Purpose, o.IdempotencyKey, o.ProviderMessageId, o.Error, o.CreatedAt, o.UpdatedAt);
}

using SalesFlow.Core.Channels;

namespace SalesFlow.Core.Conversations;

/// <summary>One change of state, with why it happened.</summary>
public sealed record StateChange(ConversationState From, ConversationState To, string Reason, DateTimeOffset At);

/// <summary>
/// A lead's running conversation with a client across all channels. Changed only by
/// ETag-guarded writes; <see cref="AnsweredThroughSeq"/> is the commit point of a turn.
/// </summary>
public sealed record Conversation
{
    public required string Id { get; init; }
    public required string ClientId { get; init; }
    public required string LeadId { get; init; }
    public ConversationState State { get; init; } = ConversationState.InitialContact;
    public IReadOnlyList<StateChange> History { get; init; } = [];

    /// <summary>Every inbound message with a sequence number up to this one has been handled.</summary>
    public long AnsweredThroughSeq { get; init; }

    public int TurnCount { get; init; }
    public ChannelKind LastChannel { get; init; }
    public DateTimeOffset? LastInboundAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string ETag { get; init; } = "";

    /// <summary>Applies a transition decided by the state machine; a stay records nothing.</summary>
    public Conversation MoveTo(ConversationState next, string reason, DateTimeOffset now)
    {
        if (next == State)
        {
            return this;
        }

        if (!SalesStateMachine.IsAllowed(State, next))
        {
            throw new InvalidOperationException($"Transition {State.ToWire()} → {next.ToWire()} is not allowed.");
        }

        return this with { State = next, History = [.. History, new StateChange(State, next, reason, now)], UpdatedAt = now };
    }
}

using Microsoft.Extensions.Logging;
using SalesFlow.Core.Queue;

namespace SalesFlow.Core.Conversations;

/// <summary>
/// The turn's safety net. A stored message is answered by the process-inbound turn intake queued for it; that turn
/// can still be lost: parked in the poison queue after failing while storage was down, dropped with a queue that was
/// unreachable, or never queued because the write failed after the message was stored. The sweep finds
/// conversations whose answerable messages have waited longer than <see cref="StaleAfter"/> (longer than any burst
/// window keeps a turn queued) and queues their turn again. That is safe at any time: the turn answers each message
/// once (its commit point is the conversation's answered mark, its reply id derives from the message), the coalesce
/// key merges it with a turn still waiting, and the turn itself keeps escalated and opted-out leads silent and never
/// answers an untrusted message. A conversation that stays unanswered is queued again after 2×, 4×, … that wait, at
/// most hourly, so a turn that fails for good does not run every minute.
/// </summary>
public sealed class InboundSweeper(IUnansweredInbound unanswered, IWorkQueue queue, TimeProvider clock, ILogger<InboundSweeper> logger)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>How far back the sweep looks; older messages wait in the queue (kept there, the embedded queue has no expiry) or for an operator.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(3);

    public const int Batch = 1000;

    private static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    private readonly Dictionary<(string ClientId, string LeadId), (int Times, DateTimeOffset NextAt)> _queued = [];
    private readonly Lock _lock = new();

    /// <summary>Queues the turn of every conversation that waits too long; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var waiting = await unanswered.ListAsync(now - Horizon, now - StaleAfter, Batch, ct);
        lock (_lock)
        {
            // Conversations answered meanwhile start afresh should they ever wait again.
            var still = waiting.Select(w => (w.ClientId, w.LeadId)).ToHashSet();
            foreach (var key in _queued.Keys.Where(k => !still.Contains(k)).ToList())
            {
                _queued.Remove(key);
            }
        }

        var queued = 0;
        foreach (var conversation in waiting)
        {
            var key = (conversation.ClientId, conversation.LeadId);
            int times;
            lock (_lock)
            {
                times = _queued.TryGetValue(key, out var previous) ? previous.Times : 0;
                if (times > 0 && now < previous.NextAt)
                {
                    continue;
                }
            }

            await queue.EnqueueAsync(
                Queues.ProcessInbound,
                ProcessInboundWork.Serialize(new ProcessInboundWork(conversation.ClientId, conversation.LeadId)),
                TimeSpan.Zero,
                ProcessInboundWork.CoalesceKey(conversation.ClientId, conversation.LeadId),
                ct);
            var interval = TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, StaleAfter.Ticks << Math.Min(times + 1, 10)));
            lock (_lock)
            {
                _queued[key] = (times + 1, now + interval);
            }

            queued++;
            logger.LogWarning(
                "Conversation {ConversationId} of client {ClientId} has had unanswered messages since {OldestAt}; its turn is queued again (time {Times})",
                conversation.ConversationId,
                conversation.ClientId,
                conversation.OldestAt,
                times + 1);
        }

        return queued;
    }
}

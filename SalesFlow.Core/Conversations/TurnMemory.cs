using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Common;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Conversations;

/// <summary>A turn's use of the memory layers: read into the reply's request before it is written, brought up to date after the commit.</summary>
public sealed class TurnMemory(ContextBuilder context, MemoryService memory, IOptions<MemoryOptions> options, ILogger<TurnMemory> logger)
{
    /// <summary>The three memory layers fitted to the budget: the prompt's reserve and this turn's text come off it first.</summary>
    /// <param name="firstPendingSeq">The first message this turn answers: history is what came before it.</param>
    /// <param name="profile">The lead's profile as this turn merged it.</param>
    public async Task<ReplyRequest> WithMemoryAsync(ReplyRequest request, string conversationId, long firstPendingSeq, LeadProfile profile, CancellationToken ct)
    {
        var budget = options.Value.TokenBudget - MemoryOptions.PromptReserve - TokenEstimator.Count(request.LeadText);
        var built = await context.BuildAsync(request.ClientId!, request.LeadId!, conversationId, request.LeadText, Math.Max(0, budget), profile, ct);
        return request with
        {
            History = built.Messages.Where(m => m.Seq < firstPendingSeq).Select(ToHistory).ToList(),
            Summary = built.Summary,
            Recalled = built.Recalls.Where(r => r.Kind == MemoryKinds.Message).OrderBy(r => r.Seq).Select(r => new HistoryMessage(r.FromLead, r.Text, request.Channel, r.At)).ToList(),
            KeyFacts = built.KeyFacts,
        };
    }

    private static HistoryMessage ToHistory(Message m) => new(m.Direction == MessageDirection.Inbound, m.Text, m.Channel, m.CreatedAt);

    /// <summary>After the commit: the turn stands whatever memory does, so a failure here is logged, not retried.</summary>
    public async Task AfterTurnAsync(string clientId, string leadId, string conversationId, CancellationToken ct)
    {
        try
        {
            await memory.AfterTurnAsync(clientId, leadId, conversationId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Memory update for lead {LeadId} failed; the next turn or the summary-refresh timer catches up", leadId);
        }
    }
}

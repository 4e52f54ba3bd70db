using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Core.Memory;

/// <summary>
/// Keeps the warm and cold layers up to date. Messages are indexed at turn time (every message, both directions,
/// as soon as the turn that wrote or answered it commits) rather than when they age out of the hot window: one
/// place does it, a crash loses nothing that a later turn would not pick up (indexing resumes after the newest
/// indexed seq), and recall simply skips what is still in the hot window. The summary is refreshed in batches:
/// when more than <see cref="MemoryOptions.HotWindow"/> + <see cref="RefreshBatch"/> messages are not yet covered
/// (the hot window overflowed by a batch), so a model-written summary costs one call per batch, not per turn; the
/// summary-refresh timer covers the rest.
/// </summary>
public sealed class MemoryService(
    IConversationStore conversations,
    ILeadProfileStore profiles,
    IMemoryStore store,
    IMemoryIndex index,
    ISummarizer summarizer,
    [FromKeyedServices(MemoryService.EmbedderKey)] IEmbeddingGenerator<string, Embedding<float>> embedder,
    IOptions<MemoryOptions> options,
    TimeProvider clock,
    ILogger<MemoryService> logger)
{
    /// <summary>The DI key of memory's embedder (the offline hashed one by default, whatever the knowledge base uses).</summary>
    public const string EmbedderKey = "memory";

    private const int MaxFetch = 50_000;

    private int HotWindow => options.Value.HotWindow;

    private int RefreshBatch => Math.Max(1, HotWindow / 2);

    /// <summary>After a committed turn: index the new messages; refresh the summary when the hot window overflowed by a batch.</summary>
    public Task AfterTurnAsync(string clientId, string leadId, string conversationId, CancellationToken ct) =>
        UpdateAsync(clientId, leadId, conversationId, refreshAnyOverflow: false, ct);

    /// <summary>The timer's refresh: summarise every message that has left the hot window, however few.</summary>
    public async Task<bool> RefreshAsync(string clientId, string leadId, CancellationToken ct)
    {
        var conversation = await conversations.FindForLeadAsync(clientId, leadId, ct);
        return conversation is not null && await UpdateAsync(clientId, leadId, conversation.Id, refreshAnyOverflow: true, ct);
    }

    private async Task<bool> UpdateAsync(string clientId, string leadId, string conversationId, bool refreshAnyOverflow, CancellationToken ct)
    {
        var summary = await store.GetSummaryAsync(clientId, leadId, ct);
        var indexed = await index.IndexedThroughSeqAsync(clientId, leadId, ct);
        var covers = summary?.CoversThroughSeq ?? 0;
        var messages = await ListAfterAsync(clientId, conversationId, Math.Min(indexed, covers), ct);

        // An untrusted message (a forged e-mail sender) is never recalled or summarised as the lead's words.
        await IndexAsync(clientId, leadId, messages.Where(m => m.Seq > indexed && !m.IsUntrusted() && !string.IsNullOrWhiteSpace(m.Text)).ToList(), ct);

        var uncovered = messages.Where(m => m.Seq > covers).ToList();
        var overflow = uncovered.Count - HotWindow;
        if (overflow <= 0 || (!refreshAnyOverflow && overflow < RefreshBatch))
        {
            return false;
        }

        var leaving = uncovered.Take(overflow).ToList();
        var conversation = await conversations.GetAsync(clientId, conversationId, ct);
        var profile = await profiles.GetAsync(clientId, leadId, ct);
        var input = new SummaryInput(
            summary?.Text ?? "",
            leaving.Where(m => !m.IsUntrusted()).Select(m => new SummarizedMessage(m.Seq, m.Direction == MessageDirection.Inbound, m.Text, StageAt(conversation, m.CreatedAt), m.CreatedAt)).ToList(),
            profile,
            clientId,
            leadId);

        // Only untrusted messages leave (forged e-mail, perhaps a flood of it to an address nobody wrote from): there is
        // nothing to summarise, so no model call is spent or recorded against that lead; the coverage still moves on,
        // so the refresh timer does not come back for them.
        var summarised = input.Messages.Count > 0;
        var text = summarised ? await summarizer.SummarizeAsync(input, ct) : summary?.Text ?? "";
        var next = new ConversationSummary(
            clientId,
            leadId,
            text,
            profile?.Facts ?? summary?.KeyFacts ?? ProfileFacts.Empty,
            profile?.Sentiment ?? summary?.Sentiment ?? SentimentSnapshot.Empty,
            leaving[^1].Seq,
            clock.GetUtcNow(),
            summary?.ETag ?? "");
        try
        {
            await store.SaveSummaryAsync(next, ct);
        }
        catch (ConcurrencyException)
        {
            // Another refresh (the timer, a parallel turn) wrote a summary meanwhile; the next turn or tick continues from it.
            logger.LogDebug("Summary of lead {LeadId} changed meanwhile; refresh skipped", leadId);
            return false;
        }

        if (summarised && text.Length > 0)
        {
            await index.AddAsync(clientId, leadId, [new MemoryEntry(MemoryKinds.Summary, next.CoversThroughSeq, text, false, next.UpdatedAt, await EmbedAsync(text, ct))], ct);
        }

        logger.LogInformation("Summary of lead {LeadId} now covers messages through {Seq} ({Count} new)", leadId, next.CoversThroughSeq, leaving.Count);
        return true;
    }

    public async Task<float[]> EmbedAsync(string text, CancellationToken ct) =>
        (await embedder.GenerateAsync([text], cancellationToken: ct))[0].Vector.ToArray();

    private async Task IndexAsync(string clientId, string leadId, List<Message> messages, CancellationToken ct)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var vectors = await embedder.GenerateAsync(messages.Select(m => m.Text), cancellationToken: ct);
        var entries = messages.Select((m, i) => new MemoryEntry(MemoryKinds.Message, m.Seq, m.Text, m.Direction == MessageDirection.Inbound, m.CreatedAt, vectors[i].Vector.ToArray())).ToList();
        await index.AddAsync(clientId, leadId, entries, ct);
    }

    /// <summary>Messages after <paramref name="afterSeq"/>, oldest first: newest pages of growing size until the page reaches back far enough.</summary>
    private async Task<List<Message>> ListAfterAsync(string clientId, string conversationId, long afterSeq, CancellationToken ct)
    {
        for (var limit = Math.Max(8, HotWindow * 3); ; limit = Math.Min(MaxFetch, limit * 4))
        {
            var page = await conversations.ListMessagesAsync(clientId, conversationId, limit, ct);
            if (page.Count < limit || page[0].Seq <= afterSeq || limit >= MaxFetch)
            {
                return page.Where(m => m.Seq > afterSeq).ToList();
            }
        }
    }

    /// <summary>The sales stage the conversation was in at <paramref name="at"/>, from its recorded transitions.</summary>
    internal static string StageAt(Conversation? conversation, DateTimeOffset at)
    {
        if (conversation is null)
        {
            return "unknown";
        }

        var state = conversation.History.Count > 0 ? conversation.History[0].From : conversation.State;
        foreach (var change in conversation.History)
        {
            if (change.At > at)
            {
                break;
            }

            state = change.To;
        }

        return state.ToWire();
    }
}

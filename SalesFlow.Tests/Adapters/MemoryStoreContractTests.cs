using SalesFlow.Core.Common;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Memory;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Tests.Adapters;

/// <summary>The memory ports' contract (summaries and the vector index), on every adapter.</summary>
public abstract partial class StoreContractTests
{
    private static readonly HashedEmbedder Embedder = new();

    private static ConversationSummary Summary(string clientId, string leadId, string text, long covers) =>
        new(clientId, leadId, text, ProfileFacts.Empty with { Company = "Initech" }, new SentimentSnapshot("positive", 0.5, 0.4, Now), covers, Now);

    private static MemoryEntry Entry(string kind, long seq, string text, bool fromLead = true) =>
        new(kind, seq, text, fromLead, Now, Embedder.Embed(text));

    [Fact]
    public async Task ASummaryIsCreatedOnceThenReplacedOnlyUnderItsETag()
    {
        var created = await _s.Memory.SaveSummaryAsync(Summary(Acme, "lead_1", "need: a CRM", 10), default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Memory.SaveSummaryAsync(Summary(Acme, "lead_1", "racer", 11), default));

        var replaced = await _s.Memory.SaveSummaryAsync(created with { Text = "need: a CRM\nquestion: price?", CoversThroughSeq = 30 }, default);
        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Memory.SaveSummaryAsync(created with { Text = "stale" }, default));

        var stored = await _s.Memory.GetSummaryAsync(Acme, "lead_1", default);
        Assert.NotNull(stored);
        Assert.Equal(("need: a CRM\nquestion: price?", 30L, "Initech", "positive"), (stored.Text, stored.CoversThroughSeq, stored.KeyFacts.Company, stored.Sentiment.Label));
        Assert.Equal(replaced.ETag, stored.ETag);
    }

    [Fact]
    public async Task SummariesAndVectorsOfOneClientAreInvisibleToAnother()
    {
        await _s.Memory.SaveSummaryAsync(Summary(Acme, "lead_1", "need: a CRM", 10), default);
        await _s.MemoryIndex.AddAsync(Acme, "lead_1", [Entry(MemoryKinds.Message, 1, "we need a CRM for our sales team")], default);

        Assert.Null(await _s.Memory.GetSummaryAsync(Globex, "lead_1", default));
        Assert.Equal(0, await _s.MemoryIndex.CountAsync(Globex, "lead_1", default));
        Assert.Equal(0, await _s.MemoryIndex.IndexedThroughSeqAsync(Globex, "lead_1", default));
        Assert.Empty(await _s.MemoryIndex.SearchAsync(Globex, "lead_1", Embedder.Embed("CRM for the sales team"), 5, 0f, long.MaxValue, default));
        Assert.Single(await _s.MemoryIndex.SearchAsync(Acme, "lead_1", Embedder.Embed("CRM for the sales team"), 5, 0f, long.MaxValue, default));
    }

    [Fact]
    public async Task RecallReturnsTheMostSimilarOlderEntriesAboveTheFloorBestFirst()
    {
        await _s.MemoryIndex.AddAsync(
            Acme,
            "lead_1",
            [
                Entry(MemoryKinds.Message, 1, "Our warehouse team needs barcode scanning for inventory"),
                Entry(MemoryKinds.Message, 2, "Thanks, have a nice weekend", fromLead: false),
                Entry(MemoryKinds.Message, 3, "Is inventory barcode scanning included in the basic plan?"),
                Entry(MemoryKinds.Summary, 3, "need: barcode scanning for the warehouse"),
                Entry(MemoryKinds.Message, 40, "barcode scanning inventory again, still in the hot window"),
            ],
            default);
        // Adding an entry again keeps the first (indexing resumes idempotently after a crash).
        await _s.MemoryIndex.AddAsync(Acme, "lead_1", [Entry(MemoryKinds.Message, 1, "duplicate")], default);

        var recalls = await _s.MemoryIndex.SearchAsync(Acme, "lead_1", Embedder.Embed("barcode scanning for inventory"), 3, MemoryOptions.RecallFloor, 40, default);

        // The three about barcode scanning, not the weekend greeting and not seq 40 (still hot).
        Assert.Equal([(MemoryKinds.Message, 1L), (MemoryKinds.Message, 3L), (MemoryKinds.Summary, 3L)], recalls.Select(r => (r.Kind, r.Seq)).Order().ToList());
        Assert.True(recalls[0].Score >= recalls[1].Score && recalls[1].Score >= recalls[2].Score);
        Assert.Contains(recalls, r => r.Text == "Our warehouse team needs barcode scanning for inventory");
        Assert.Single(await _s.MemoryIndex.SearchAsync(Acme, "lead_1", Embedder.Embed("barcode scanning for inventory"), 1, MemoryOptions.RecallFloor, 40, default));
        Assert.Equal(5, await _s.MemoryIndex.CountAsync(Acme, "lead_1", default));
        Assert.Equal(40, await _s.MemoryIndex.IndexedThroughSeqAsync(Acme, "lead_1", default));

        // Nothing about the weekend clears the floor except the weekend message itself.
        var weekend = await _s.MemoryIndex.SearchAsync(Acme, "lead_1", Embedder.Embed("nice weekend"), 5, MemoryOptions.RecallFloor, 40, default);
        Assert.Equal(2, Assert.Single(weekend).Seq);
    }

    [Fact]
    public async Task LeadsWithMoreUnsummarisedMessagesThanTheHotWindowAreStale()
    {
        var (busy, busyConversation) = await LeadWithConversationAsync(Acme, "+491701111111");
        var (quiet, quietConversation) = await LeadWithConversationAsync(Globex, "+491702222222");
        for (var i = 0; i < 5; i++)
        {
            await _s.Conversations.AddInboundAsync(Inbound(busyConversation, "busy " + i), default);
        }

        await _s.Conversations.AddInboundAsync(Inbound(quietConversation, "quiet"), default);

        var stale = await _s.Memory.ListStaleLeadsAsync(3, 10, default);

        Assert.Equal([new StaleLead(Acme, busy.Id)], stale);
        var last = (await _s.Conversations.ListMessagesAsync(Acme, busyConversation.Id, 1, default))[0];
        await _s.Memory.SaveSummaryAsync(Summary(Acme, busy.Id, "covered", last.Seq - 3), default);
        Assert.DoesNotContain(await _s.Memory.ListStaleLeadsAsync(3, 10, default), l => l.LeadId == quiet.Id || l.LeadId == busy.Id);
    }
}

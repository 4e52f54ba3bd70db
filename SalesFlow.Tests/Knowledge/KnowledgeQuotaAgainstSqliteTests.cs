using Microsoft.Extensions.AI;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Knowledge.Chunking;
using SalesFlow.Core.Queue;

namespace SalesFlow.Tests.Knowledge;

/// <summary>
/// The per-client quotas (bases, documents, chunks) on every import path, against a real SQLite file: at the limit is
/// accepted, one beyond is refused with nothing stored, a replacement frees what it replaces, other clients never count.
/// </summary>
public sealed class KnowledgeQuotaAgainstSqliteTests : IDisposable
{
    private const string ClientA = "client-a";
    private const string ClientB = "client-b";
    private const int ChunkTokens = 64;

    private KnowledgeHarness _h = new();

    public void Dispose() => _h.Dispose();

    /// <summary>Small chunks, so a few short paragraphs make a known number of chunks.</summary>
    private void Limits(int bases = 20, int documents = 2000, int chunks = 100_000, int inlineIngestTokens = 4000)
    {
        _h.Dispose();
        _h = new KnowledgeHarness(new KnowledgeOptions
        {
            MaxBasesPerClient = bases,
            MaxDocumentsPerClient = documents,
            MaxChunksPerClient = chunks,
            ChunkTokens = ChunkTokens,
            ChunkOverlapTokens = 0,
            InlineIngestTokens = inlineIngestTokens,
        });
    }

    /// <summary>A plain-text document of <paramref name="paragraphs"/> paragraphs about <paramref name="topic"/>, and the number of chunks it makes.</summary>
    private static (string Text, int Chunks) Document(string topic, int paragraphs)
    {
        var text = string.Join("\n\n", Enumerable.Range(0, paragraphs).Select(i =>
            $"Paragraph {i} about {topic}: the {topic} policy covers repairs, replacements and returns for every device we sell in Europe, with shipping paid by us."));
        return (text, new TextChunker(ChunkTokens, 0).Chunk(text, DocumentBlocks.PlainText).Count);
    }

    private Task<KnowledgeSource> AddAsync(string clientId, string baseId, string id, string text) =>
        _h.Service.AddDocumentAsync(clientId, baseId, new DocumentInput(id, id, DocumentBlocks.PlainText, text), default);

    private Task<KnowledgeUsage> UsageAsync(string clientId = ClientA) => _h.Store.GetUsageAsync(clientId, default);

    private int ChunkRows(string clientId)
    {
        using var connection = _h.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM knowledge_chunks WHERE client_id = $c";
        command.Parameters.AddWithValue("$c", clientId);
        return Convert.ToInt32(command.ExecuteScalar());
    }

    [Fact]
    public async Task BasesUpToTheQuotaAreCreatedAndOneMoreIsRefusedWithoutBeingStored()
    {
        Limits(bases: 2);
        await _h.Service.CreateBaseAsync(ClientA, "One", null, default);
        await _h.Service.CreateBaseAsync(ClientA, "Two", null, default);

        var refused = await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => _h.Service.CreateBaseAsync(ClientA, "Three", null, default));

        Assert.Equal(("Knowledge:MaxBasesPerClient", "name", 2L), (refused.Limit, refused.Field, refused.Maximum));
        Assert.Contains("Knowledge:MaxBasesPerClient", refused.Message, StringComparison.Ordinal);
        // Bases created in the same millisecond list in id order (random): compare as a set.
        Assert.Equal(["One", "Two"], (await _h.Service.ListBasesAsync(ClientA, default)).Select(b => b.Name).Order());
    }

    [Fact]
    public async Task AnotherClientsBasesDoNotCountAndDeletingABaseFreesItsPlace()
    {
        Limits(bases: 1);
        var only = await _h.Service.CreateBaseAsync(ClientA, "A's", null, default);

        await _h.Service.CreateBaseAsync(ClientB, "B's", null, default);
        await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => _h.Service.CreateBaseAsync(ClientA, "A's second", null, default));
        Assert.True(await _h.Service.DeleteBaseAsync(ClientA, only.Id, default));
        await _h.Service.CreateBaseAsync(ClientA, "A's again", null, default);

        Assert.Equal(1, (await UsageAsync(ClientA)).Bases);
        Assert.Equal(1, (await UsageAsync(ClientB)).Bases);
    }

    [Fact]
    public async Task DocumentsUpToTheQuotaAreAcceptedAndOneMoreIsRefusedButReplacingOneIsNotOneMore()
    {
        Limits(documents: 2);
        var first = await _h.Service.CreateBaseAsync(ClientA, "First", null, default);
        var second = await _h.Service.CreateBaseAsync(ClientA, "Second", null, default);
        await AddAsync(ClientA, first.Id, "terms", "Our terms: returns within 30 days.");
        await AddAsync(ClientA, second.Id, "prices", "Starter costs 49 euros a month.");

        // The quota is over all of the client's bases.
        var refused = await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => AddAsync(ClientA, first.Id, "shipping", "We ship within three days."));
        var replaced = await AddAsync(ClientA, first.Id, "terms", "Our terms: returns within 60 days.");

        Assert.Equal(("Knowledge:MaxDocumentsPerClient", "content"), (refused.Limit, refused.Field));
        Assert.Null(await _h.Service.GetSourceAsync(ClientA, first.Id, "shipping", default));
        Assert.Equal(IngestStatus.Ready, replaced.Status);
        Assert.Equal(new KnowledgeUsage(2, 2, 2), await UsageAsync());
        // FAQs are not documents: they count as chunks only.
        await _h.Service.AddFaqAsync(ClientA, first.Id, new FaqInput("faq-open", "When are you open?", "Weekdays 9 to 5."), default);
        Assert.Equal(new KnowledgeUsage(2, 2, 3), await UsageAsync());
    }

    [Fact]
    public async Task ADocumentThatFillsTheChunkQuotaExactlyIsAcceptedAndOneThatExceedsItByOneIsRefusedWithNothingStored()
    {
        var (text, chunks) = Document("warranty", 6);
        Assert.True(chunks >= 3, $"the document makes {chunks} chunks");
        Limits(chunks: chunks + 1);
        var kb = await _h.Service.CreateBaseAsync(ClientA, "Docs", null, default);
        await _h.Service.AddFaqAsync(ClientA, kb.Id, new FaqInput("faq-open", "When are you open?", "Weekdays 9 to 5."), default);
        var (longer, moreChunks) = Document("warranty", 8);
        Assert.True(moreChunks > chunks);

        var refused = await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => AddAsync(ClientA, kb.Id, "too-long", longer));
        var atTheLimit = await AddAsync(ClientA, kb.Id, "warranty", text);

        Assert.Equal(("Knowledge:MaxChunksPerClient", "content", (long)chunks + 1), (refused.Limit, refused.Field, refused.Maximum));
        Assert.Null(await _h.Service.GetSourceAsync(ClientA, kb.Id, "too-long", default));
        Assert.Equal((IngestStatus.Ready, chunks), (atTheLimit.Status, atTheLimit.ChunkCount));
        Assert.Equal(new KnowledgeUsage(1, 1, chunks + 1), await UsageAsync());
        Assert.Equal(chunks + 1, ChunkRows(ClientA));
        await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => _h.Service.AddFaqAsync(ClientA, kb.Id, new FaqInput("faq-one-more", "Do you ship?", "Yes."), default));
    }

    [Fact]
    public async Task AtTheChunkQuotaADocumentIsReplacedByOneOfEqualSizeAndALargerReplacementLeavesTheOldOneIntact()
    {
        var (text, chunks) = Document("warranty", 6);
        Limits(chunks: chunks);
        var kb = await _h.Service.CreateBaseAsync(ClientA, "Docs", null, default);
        await AddAsync(ClientA, kb.Id, "warranty", text);

        var (sameSize, sameChunks) = Document("guarantee", 6);
        Assert.Equal(chunks, sameChunks);
        var replaced = await AddAsync(ClientA, kb.Id, "warranty", sameSize);
        var (larger, _) = Document("insurance", 7);
        var refused = await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => AddAsync(ClientA, kb.Id, "warranty", larger));

        Assert.Equal("Knowledge:MaxChunksPerClient", refused.Limit);
        Assert.Equal((IngestStatus.Ready, chunks), (replaced.Status, replaced.ChunkCount));
        var kept = await _h.Service.GetSourceAsync(ClientA, kb.Id, "warranty", default);
        Assert.Equal((IngestStatus.Ready, sameSize), (kept!.Status, kept.Content));
        var hits = await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("guarantee policy", Top: 50, MinScore: 0, Mode: SearchMode.Keyword), default);
        Assert.Equal(chunks, hits.Count);
        Assert.Empty(await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("insurance", MinScore: 0, Mode: SearchMode.Keyword), default));
        Assert.Equal(chunks, ChunkRows(ClientA));
    }

    [Fact]
    public async Task AnFaqBeyondTheChunkQuotaIsRefusedAndReplacingAnFaqAtTheQuotaWorks()
    {
        Limits(chunks: 2);
        var kb = await _h.Service.CreateBaseAsync(ClientA, "FAQ", null, default);
        await _h.Service.AddFaqAsync(ClientA, kb.Id, new FaqInput("open", "When are you open?", "Weekdays 9 to 5."), default);
        await _h.Service.AddFaqAsync(ClientA, kb.Id, new FaqInput("ship", "Do you ship abroad?", "Within the EU."), default);

        var refused = await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => _h.Service.AddFaqAsync(ClientA, kb.Id, new FaqInput("pay", "How can I pay?", "Card."), default));
        var replaced = await _h.Service.AddFaqAsync(ClientA, kb.Id, new FaqInput("ship", "Do you ship abroad?", "Worldwide."), default);

        Assert.Equal(("Knowledge:MaxChunksPerClient", "question"), (refused.Limit, refused.Field));
        Assert.Null(await _h.Service.GetSourceAsync(ClientA, kb.Id, "pay", default));
        Assert.Equal(IngestStatus.Ready, replaced.Status);
        Assert.Equal(new KnowledgeUsage(1, 0, 2), await UsageAsync());
    }

    [Fact]
    public async Task ABulkImportBeyondTheChunkQuotaStoresNoneOfItsFaqsWhileOneThatReplacesExistingFaqsFits()
    {
        Limits(chunks: 3);
        var kb = await _h.Service.CreateBaseAsync(ClientA, "FAQ", null, default);
        await _h.Service.ImportFaqsAsync(ClientA, kb.Id, [new("open", "When are you open?", "Weekdays."), new("ship", "Do you ship?", "Yes.")], default);

        var refused = await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() =>
            _h.Service.ImportFaqsAsync(ClientA, kb.Id, [new("open", "When are you open?", "Always."), new("pay", "How can I pay?", "Card."), new("gift", "Gift cards?", "Yes.")], default));
        // Two replacements and one new FAQ: three chunks, the quota exactly.
        var imported = await _h.Service.ImportFaqsAsync(ClientA, kb.Id, [new("open", "When are you open?", "Always."), new("ship", "Do you ship?", "Worldwide."), new("pay", "How can I pay?", "Card.")], default);

        Assert.Equal(("Knowledge:MaxChunksPerClient", "faqs"), (refused.Limit, refused.Field));
        Assert.Null(await _h.Service.GetSourceAsync(ClientA, kb.Id, "gift", default));
        Assert.Equal(3, imported.Count);
        Assert.Contains("Always.", (await _h.Service.GetSourceAsync(ClientA, kb.Id, "open", default))!.Content, StringComparison.Ordinal);
        Assert.Equal(new KnowledgeUsage(1, 0, 3), await UsageAsync());
        Assert.Equal(3, ChunkRows(ClientA));
    }

    [Fact]
    public async Task ALargeDocumentIsRefusedBeforeItIsQueuedWhenNoDocumentOrNoChunkFits()
    {
        var (large, _) = Document("catalogue", 8);
        Limits(documents: 1, chunks: 1, inlineIngestTokens: 50);
        var kb = await _h.Service.CreateBaseAsync(ClientA, "Docs", null, default);
        await _h.Service.AddFaqAsync(ClientA, kb.Id, new FaqInput("open", "When are you open?", "Weekdays."), default);

        var noChunk = await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => AddAsync(ClientA, kb.Id, "catalogue", large));
        Limits(documents: 1, chunks: 100, inlineIngestTokens: 50);
        kb = await _h.Service.CreateBaseAsync(ClientA, "Docs", null, default);
        await AddAsync(ClientA, kb.Id, "terms", "Returns within 30 days.");
        var noDocument = await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => AddAsync(ClientA, kb.Id, "catalogue", large));

        Assert.Equal("Knowledge:MaxChunksPerClient", noChunk.Limit);
        Assert.Equal(("Knowledge:MaxDocumentsPerClient", "content"), (noDocument.Limit, noDocument.Field));
        Assert.Null(await _h.Service.GetSourceAsync(ClientA, kb.Id, "catalogue", default));
        Assert.Empty(_h.Enqueued);
    }

    [Fact]
    public async Task AQueuedDocumentWhoseChunksExceedTheQuotaFailsWithTheReasonInItsStatusAndIsNotRetried()
    {
        var (large, chunks) = Document("catalogue", 8);
        Limits(chunks: chunks - 1, inlineIngestTokens: 50);
        var kb = await _h.Service.CreateBaseAsync(ClientA, "Docs", null, default);

        var accepted = await AddAsync(ClientA, kb.Id, "catalogue", large);
        Assert.Equal(IngestStatus.Pending, accepted.Status);
        var (_, payload) = Assert.Single(_h.Enqueued);
        // Returning normally completes the work: the queue does not try again what cannot succeed.
        await _h.Service.IngestQueuedAsync(IngestKnowledgeWork.Parse(payload), default);

        var failed = await _h.Service.GetSourceAsync(ClientA, kb.Id, "catalogue", default);
        Assert.Equal((IngestStatus.Failed, 0), (failed!.Status, failed.ChunkCount));
        Assert.Contains("Knowledge:MaxChunksPerClient", failed.Error, StringComparison.Ordinal);
        Assert.Contains($"{chunks} chunks", failed.Error, StringComparison.Ordinal);
        Assert.Equal(0, ChunkRows(ClientA));
        Assert.Equal((1, 0), ((await _h.Service.GetStatsAsync(ClientA, kb.Id, default)).Failed, (await _h.Service.GetStatsAsync(ClientA, kb.Id, default)).Chunks));
    }

    [Fact]
    public async Task AQueuedReplacementBeyondTheChunkQuotaRemovesTheChunksOfTheVersionItReplaced()
    {
        var (small, smallChunks) = Document("warranty", 2);
        var (large, largeChunks) = Document("catalogue", 8);
        Limits(chunks: largeChunks - 1, inlineIngestTokens: 50);
        var kb = await _h.Service.CreateBaseAsync(ClientA, "Docs", null, default);
        await AddAsync(ClientA, kb.Id, "doc", small);
        foreach (var (_, payload) in _h.Enqueued)
        {
            await _h.Service.IngestQueuedAsync(IngestKnowledgeWork.Parse(payload), default);
        }

        Assert.Equal(smallChunks, ChunkRows(ClientA));
        _h.Enqueued.Clear();

        await AddAsync(ClientA, kb.Id, "doc", large);
        await _h.Service.IngestQueuedAsync(IngestKnowledgeWork.Parse(Assert.Single(_h.Enqueued).Payload), default);

        // The source now holds the refused content; chunks of the old text that no source counts would escape the quota.
        Assert.Equal(IngestStatus.Failed, (await _h.Service.GetSourceAsync(ClientA, kb.Id, "doc", default))!.Status);
        Assert.Equal(0, ChunkRows(ClientA));
        Assert.Equal(new KnowledgeUsage(1, 1, 0), await UsageAsync());
    }

    [Fact]
    public async Task AReplacementWhoseIndexingFailsLeavesNoChunksOfTheOldVersionAndTheRetryIndexesTheNewOne()
    {
        var embedder = new SwitchableEmbedder();
        _h.Dispose();
        _h = new KnowledgeHarness(new KnowledgeOptions { ChunkTokens = ChunkTokens, ChunkOverlapTokens = 0, InlineIngestTokens = 50 }, embedder: embedder);
        var (old, oldChunks) = Document("warranty", 2);
        var (replacement, newChunks) = Document("catalogue", 3);
        var kb = await _h.Service.CreateBaseAsync(ClientA, "Docs", null, default);
        await AddAsync(ClientA, kb.Id, "doc", old);
        await _h.Service.IngestQueuedAsync(IngestKnowledgeWork.Parse(Assert.Single(_h.Enqueued).Payload), default);
        Assert.Equal(oldChunks, ChunkRows(ClientA));
        _h.Enqueued.Clear();

        await AddAsync(ClientA, kb.Id, "doc", replacement);
        var work = IngestKnowledgeWork.Parse(Assert.Single(_h.Enqueued).Payload);
        embedder.Failing = true;
        await Assert.ThrowsAsync<HttpRequestException>(() => _h.Service.IngestQueuedAsync(work, default));

        // Failed with no chunks, and none of the replaced text left to answer searches or escape the quota.
        Assert.Equal((IngestStatus.Failed, 0), ((await _h.Service.GetSourceAsync(ClientA, kb.Id, "doc", default))!.Status, ChunkRows(ClientA)));
        Assert.Equal(new KnowledgeUsage(1, 1, 0), await UsageAsync());

        embedder.Failing = false;
        await _h.Service.IngestQueuedAsync(work, default);
        Assert.Equal((IngestStatus.Ready, newChunks), ((await _h.Service.GetSourceAsync(ClientA, kb.Id, "doc", default))!.Status, ChunkRows(ClientA)));
        Assert.Equal(new KnowledgeUsage(1, 1, newChunks), await UsageAsync());
    }

    /// <summary>The offline embedder that fails while <see cref="Failing"/> is set, as a model endpoint does when it is down.</summary>
    private sealed class SwitchableEmbedder : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly HashedEmbedder _inner = new();

        public bool Failing { get; set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Failing ? throw new HttpRequestException("embedding endpoint down") : _inner.GenerateAsync(values, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task AnotherClientsChunksNeverCountAgainstThisClientsQuota()
    {
        Limits(chunks: 2);
        var mine = await _h.Service.CreateBaseAsync(ClientA, "A", null, default);
        var theirs = await _h.Service.CreateBaseAsync(ClientB, "B", null, default);
        await _h.Service.ImportFaqsAsync(ClientB, theirs.Id, [new("x", "Question x?", "X."), new("y", "Question y?", "Y.")], default);

        await _h.Service.ImportFaqsAsync(ClientA, mine.Id, [new("x", "Question x?", "X."), new("y", "Question y?", "Y.")], default);

        Assert.Equal(new KnowledgeUsage(1, 0, 2), await UsageAsync(ClientA));
        Assert.Equal(new KnowledgeUsage(1, 0, 2), await UsageAsync(ClientB));
        await Assert.ThrowsAsync<KnowledgeQuotaExceededException>(() => _h.Service.AddFaqAsync(ClientB, theirs.Id, new FaqInput("z", "Question z?", "Z."), default));
    }
}

using Microsoft.Extensions.Options;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Infrastructure.Embedded.Knowledge;
using SalesFlow.Core.Common;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Knowledge.Chunking;
using SalesFlow.Core.Queue;

namespace SalesFlow.Tests.Knowledge;

/// <summary>Import, chunking, FTS5/vector/hybrid retrieval, thresholds and tenant isolation on a real SQLite file.</summary>
public sealed class KnowledgeRetrievalAgainstSqliteTests : IDisposable
{
    private const string ClientA = "client-a";
    private const string ClientB = "client-b";
    private readonly KnowledgeHarness _h = new();

    public void Dispose() => _h.Dispose();

    private async Task<string> SeededBaseAsync(string clientId = ClientA)
    {
        var kb = await _h.Service.CreateBaseAsync(clientId, "Sales FAQ", null, default);
        await _h.Service.ImportFaqsAsync(clientId, kb.Id, KnowledgeHarness.SalesFaqs.Select(f => new FaqInput(f.Id, f.Question, f.Answer)).ToList(), default);
        return kb.Id;
    }

    [Theory]
    [InlineData(SearchMode.Keyword, "refund policy cancel", "faq-refund")]
    [InlineData(SearchMode.Vector, "What does the starter plan cost per month?", "faq-price")]
    [InlineData(SearchMode.Hybrid, "when is your support team available", "faq-hours")]
    [InlineData(SearchMode.Hybrid, "do you connect to hubspot", "faq-integrations")]
    [InlineData(SearchMode.Hybrid, "is the data kept in the EU?", "faq-security")]
    [InlineData(SearchMode.Hybrid, "shipping time for hardware", "faq-shipping")]
    public async Task EachModeFindsTheRightFaqFirst(SearchMode mode, string query, string expected)
    {
        await SeededBaseAsync();
        var passages = await _h.Service.SearchAsync(ClientA, new KnowledgeQuery(query, MinScore: 0, Mode: mode), default);
        Assert.Equal(expected, passages.First().SourceId);
        Assert.All(passages, p => Assert.InRange(p.Score, 0, 1));
        Assert.Equal(passages.Select(p => p.Score).OrderByDescending(s => s).First(), passages.Max(p => p.Score));
    }

    [Theory]
    [InlineData("What's the weather like in Paris tomorrow?")]
    [InlineData("Who won the football world cup in 1998?")]
    [InlineData("Recommend me a good recipe for lasagne")]
    [InlineData("What is the capital of Australia?")]
    public async Task AnUnrelatedQuestionRetrievesNothingWithTheDefaultThresholds(string query)
    {
        await SeededBaseAsync();
        Assert.Empty(await _h.Service.SearchAsync(ClientA, new KnowledgeQuery(query), default));
        Assert.Empty(await _h.Service.SearchAsync(ClientA, new KnowledgeQuery(query, Mode: SearchMode.Vector), default));
        Assert.True((await _h.Service.RetrieveAsync(ClientA, query, 5, default)).IsEmpty);
    }

    [Fact]
    public async Task ARelatedQuestionPassesTheHybridThresholdAndCarriesItsSource()
    {
        await SeededBaseAsync();
        var context = await _h.Service.RetrieveAsync(ClientA, "How much is the starter plan per user?", 3, default);
        Assert.False(context.IsEmpty);
        Assert.Equal("faq-price", context.Passages[0].SourceId);
        Assert.Contains("[faq-price] Q: How much does the Starter plan cost?", context.ToPromptSection(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVectorOnlyThresholdOf075KeepsOnlyNearDuplicates()
    {
        await SeededBaseAsync();
        var exact = await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("Q: What is your refund policy?\nA: You can cancel within 30 days of purchase and get a full refund", Mode: SearchMode.Vector), default);
        Assert.Equal("faq-refund", Assert.Single(exact).SourceId);
        Assert.True(exact[0].Score >= 0.75);
    }

    [Fact]
    public async Task ClientBNeverSeesClientAsPassagesOrBases()
    {
        var baseOfA = await SeededBaseAsync(ClientA);
        var baseOfB = await _h.Service.CreateBaseAsync(ClientB, "B's base", null, default);
        await _h.Service.AddFaqAsync(ClientB, baseOfB.Id, new FaqInput("b-only", "Do you sell bicycles?", "Yes, city bikes from €499."), default);

        foreach (var mode in Enum.GetValues<SearchMode>())
        {
            var found = await _h.Service.SearchAsync(ClientB, new KnowledgeQuery("How much does the Starter plan cost? refund hours shipping", MinScore: 0, Mode: mode), default);
            Assert.All(found, p => Assert.Equal(baseOfB.Id, p.KnowledgeBaseId));
            Assert.DoesNotContain(found, p => p.SourceId.StartsWith("faq-", StringComparison.Ordinal));
        }

        await Assert.ThrowsAsync<KnowledgeBaseNotFoundException>(() => _h.Service.SearchAsync(ClientB, new KnowledgeQuery("refund", baseOfA), default));
        Assert.Null(await _h.Service.GetBaseAsync(ClientB, baseOfA, default));
        Assert.DoesNotContain(await _h.Service.ListBasesAsync(ClientB, default), b => b.Id == baseOfA);
        Assert.False(await _h.Service.DeleteBaseAsync(ClientB, baseOfA, default));
        Assert.Null(await _h.Service.GetSourceAsync(ClientB, baseOfA, "faq-refund", default));
        Assert.Equal(0, (await _h.Service.GetStatsAsync(ClientB, baseOfA, default)).Faqs);
        // And A still has everything.
        Assert.Equal(KnowledgeHarness.SalesFaqs.Length, (await _h.Service.GetStatsAsync(ClientA, baseOfA, default)).Faqs);
    }

    [Fact]
    public async Task ASearchWithoutABaseReachesEveryBaseOfTheClientAndNoOther()
    {
        var bases = new List<string>();
        foreach (var (name, answer) in new[] { ("Bikes", "City bikes cost €499."), ("Helmets", "Helmets cost €59."), ("Locks", "Locks cost €25.") })
        {
            var kb = await _h.Service.CreateBaseAsync(ClientA, name, null, default);
            await _h.Service.AddFaqAsync(ClientA, kb.Id, new FaqInput(name.ToLowerInvariant(), $"What do {name.ToLowerInvariant()} cost?", answer), default);
            bases.Add(kb.Id);
        }

        var other = await _h.Service.CreateBaseAsync(ClientB, "Scooters", null, default);
        await _h.Service.AddFaqAsync(ClientB, other.Id, new FaqInput("scooters", "What do scooters cost?", "Scooters cost €899."), default);
        await _h.Service.ClearAsync(ClientA, bases[2], default);

        var found = await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("What do bikes helmets locks scooters cost?", Top: 10, MinScore: 0, Mode: SearchMode.Keyword), default);
        var ids = await _h.Database.ReadAsync(c => c.Command(SalesFlow.Infrastructure.Embedded.Knowledge.SqliteKnowledgeIndex.DistinctBasesSql, null, ("$c", ClientA)).QueryAsync(r => r.GetString(0)));

        Assert.Equal(["bikes", "helmets"], found.Select(p => p.SourceId).Order().ToList());
        Assert.Equal(bases.Take(2).Order().ToList(), ids.Order().ToList());
    }

    [Fact]
    public async Task ReIngestingADocumentReplacesItsChunks()
    {
        var kb = await _h.Service.CreateBaseAsync(ClientA, "Docs", null, default);
        var longText = string.Join("\n\n", Enumerable.Range(0, 40).Select(i => $"Paragraph {i} about warranty terms and coverage for hardware devices, repairs and replacements."));
        var first = await _h.Service.AddDocumentAsync(ClientA, kb.Id, new DocumentInput("terms", "Warranty", DocumentBlocks.PlainText, longText), default);
        Assert.Equal(IngestStatus.Ready, first.Status);
        Assert.True(first.ChunkCount > 1);

        var second = await _h.Service.AddDocumentAsync(ClientA, kb.Id, new DocumentInput("terms", "Warranty", DocumentBlocks.PlainText, "The warranty lasts two years on all devices."), default);
        Assert.Equal(1, second.ChunkCount);
        var stats = await _h.Service.GetStatsAsync(ClientA, kb.Id, default);
        Assert.Equal((1, 1), (stats.Documents, stats.Chunks));
        var hits = await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("warranty", Top: 10, MinScore: 0, Mode: SearchMode.Keyword), default);
        Assert.Equal("The warranty lasts two years on all devices.", Assert.Single(hits).Text.Split('\n')[^1]);
        Assert.Equal(1, ChunkRows(ClientA));
    }

    [Fact]
    public async Task BulkFaqsFromJsonAndCsvReplaceBySameId()
    {
        var kb = await _h.Service.CreateBaseAsync(ClientA, "FAQ", null, default);
        await _h.Service.ImportFaqsAsync(ClientA, kb.Id, [new("ret", "Can I return an item?", "Within 14 days."), new(null, "Do you ship abroad?", "Only within the EU.")], default);
        var csv = "id,question,answer\nret,Can I return an item?,\"Within 30 days, free of charge.\"\n,Do you ship abroad?,Worldwide since 2025.\nnew,Do you have gift cards?,Yes.\n";
        await _h.Service.ImportFaqsAsync(ClientA, kb.Id, FaqCsv.Parse(csv), default);

        var stats = await _h.Service.GetStatsAsync(ClientA, kb.Id, default);
        Assert.Equal((3, 3), (stats.Faqs, stats.Chunks));
        var ret = await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("return an item", Top: 10, MinScore: 0, Mode: SearchMode.Keyword), default);
        Assert.Equal("ret", ret[0].SourceId);
        Assert.Contains("Within 30 days, free of charge.", ret[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(ret, p => p.Text.Contains("14 days", StringComparison.Ordinal));
        var abroad = await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("ship abroad", Top: 10, MinScore: 0, Mode: SearchMode.Keyword), default);
        Assert.Contains("Worldwide", Assert.Single(abroad, p => p.Text.Contains("abroad", StringComparison.Ordinal)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadFaqInABulkImportChangesNothing()
    {
        var kb = await _h.Service.CreateBaseAsync(ClientA, "FAQ", null, default);
        var error = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.ImportFaqsAsync(ClientA, kb.Id, [new("a", "Q1?", "A1"), new("b", "Q2?", " ")], default));
        Assert.Equal("faqs[1].answer", error.Field);
        Assert.Equal(0, (await _h.Service.GetStatsAsync(ClientA, kb.Id, default)).Faqs);
        Assert.Throws<ValidationException>(() => FaqCsv.Parse("q,a\nx,y"));
    }

    [Fact]
    public async Task ALargeDocumentIsQueuedAndReportsProgressUntilIngested()
    {
        var kb = await _h.Service.CreateBaseAsync(ClientA, "Docs", null, default);
        var big = string.Join("\n\n", Enumerable.Range(0, 400).Select(i => $"## Section {i}\n\nDetails of product variant {i}: it weighs {i + 1} kg and ships in a box."));
        var source = await _h.Service.AddDocumentAsync(ClientA, kb.Id, new DocumentInput("catalogue", "Catalogue", DocumentBlocks.Markdown, big), default);
        Assert.Equal(IngestStatus.Pending, source.Status);
        Assert.Equal(1, (await _h.Service.GetStatsAsync(ClientA, kb.Id, default)).Pending);
        var (queue, payload) = Assert.Single(_h.Enqueued);
        Assert.Equal(Queues.IngestKnowledge, queue);

        await _h.Service.IngestQueuedAsync(IngestKnowledgeWork.Parse(payload), default);
        await _h.Service.IngestQueuedAsync(IngestKnowledgeWork.Parse(payload), default); // at-least-once: a second run changes nothing
        var ready = await _h.Service.GetSourceAsync(ClientA, kb.Id, "catalogue", default);
        Assert.Equal(IngestStatus.Ready, ready!.Status);
        var stats = await _h.Service.GetStatsAsync(ClientA, kb.Id, default);
        Assert.Equal((0, ready.ChunkCount), (stats.Pending, stats.Chunks));
        Assert.Equal(ready.ChunkCount, ChunkRows(ClientA));
    }

    [Fact]
    public async Task ClearingAndDeletingABaseRemovesItsChunksAndVectors()
    {
        var kb = await SeededBaseAsync();
        Assert.NotEmpty(await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("refund", MinScore: 0), default));
        Assert.Equal(KnowledgeHarness.SalesFaqs.Length, await _h.Service.ClearAsync(ClientA, kb, default));
        Assert.Empty(await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("refund", MinScore: 0), default));
        Assert.Equal(0, ChunkRows(ClientA));
        Assert.True(await _h.Service.DeleteBaseAsync(ClientA, kb, default));
        Assert.Null(await _h.Service.GetBaseAsync(ClientA, kb, default));
    }

    [Theory]
    [InlineData("", null, null, "query")]
    [InlineData("refund", 0, null, "top")]
    [InlineData("refund", 51, null, "top")]
    [InlineData("refund", null, 1.5, "minScore")]
    public async Task BadSearchesNameTheField(string query, int? top, double? minScore, string field)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => _h.Service.SearchAsync(ClientA, new KnowledgeQuery(query, null, top, minScore), default));
        Assert.Equal(field, error.Field);
    }

    /// <summary>
    /// Terms stored before the stemmer dropped a final "e" ("case" kept, "cas" searched since) missed a keyword search
    /// for "case": an index whose terms were made another way has them made again when it opens.
    /// </summary>
    [Fact]
    public async Task KeywordTermsStoredAnotherWayAreMadeAgainWhenTheIndexOpens()
    {
        var kb = await _h.Service.CreateBaseAsync(ClientA, "Sales FAQ", null, default);
        await _h.Service.ImportFaqsAsync(ClientA, kb.Id, [new FaqInput("faq-case", "Do you have a case study?", "Read our case study on the website.")], default);
        var copy = Path.Combine(_h.Db.Directory, "earlier.db");
        using (var connection = _h.Database.Open())
        {
            // As an earlier version left it: no terms version, each chunk's terms with the final "e" kept.
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO knowledge_fts (knowledge_fts) VALUES ('delete-all');
                INSERT INTO knowledge_fts (rowid, terms) SELECT id, 'case study read case study website' FROM knowledge_chunks;
                DELETE FROM knowledge_meta;
                """;
            command.ExecuteNonQuery();
            command.CommandText = "VACUUM INTO $copy";
            command.Parameters.AddWithValue("$copy", copy);
            command.ExecuteNonQuery();
        }

        Assert.Empty(await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("case", MinScore: 0, Mode: SearchMode.Keyword), default));
        using var reopened = new SqliteDatabase(copy, new RuntimeHealth());
        var service = new KnowledgeService(new SqliteKnowledgeStore(reopened), new SqliteKnowledgeIndex(reopened), new HashedEmbedder(), _h.Queue.Object, Options.Create(new KnowledgeOptions()), TimeProvider.System);

        var found = await service.SearchAsync(ClientA, new KnowledgeQuery("case", MinScore: 0, Mode: SearchMode.Keyword), default);

        Assert.Equal("faq-case", Assert.Single(found).SourceId);
    }

    private int ChunkRows(string clientId)
    {
        using var connection = _h.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM knowledge_chunks WHERE client_id = $c) + 0";
        command.Parameters.AddWithValue("$c", clientId);
        var chunks = Convert.ToInt32(command.ExecuteScalar());
        command.CommandText = "SELECT COUNT(*) FROM knowledge_fts";
        Assert.Equal(Convert.ToInt32(command.ExecuteScalar()), TotalChunks(connection));
        return chunks;
    }

    private static int TotalChunks(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM knowledge_chunks";
        return Convert.ToInt32(command.ExecuteScalar());
    }
}

using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Embedded.Knowledge;
using SalesFlow.Core.Common;
using SalesFlow.Core.Knowledge;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Knowledge;

/// <summary>
/// The <see cref="IKnowledgeStore"/> contract: the same assertions against every adapter (subclasses say which).
/// Times are whole milliseconds, the precision both adapters keep.
/// </summary>
public abstract class KnowledgeStoreContractTests : IAsyncLifetime
{
    private const string Acme = "acme";
    private const string Globex = "globex";
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_000);

    private IKnowledgeStore _store = null!;

    protected abstract Task<IKnowledgeStore> CreateStoreAsync();

    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public Task DisposeAsync() => DisposeStoreAsync();

    private static KnowledgeBase Base(string clientId, string id, DateTimeOffset at, string? description = "About") =>
        new(clientId, id, $"Base {id}", description, at, at);

    private static KnowledgeSource Source(string clientId, string baseId, string id, DateTimeOffset updatedAt, SourceKind kind = SourceKind.Document,
        IngestStatus status = IngestStatus.Pending, int chunks = 0, int tokens = 0, string content = "Some content", string? title = "A title") =>
        new(clientId, baseId, id, kind, title, "text/plain", content, status, chunks, tokens, null, updatedAt, updatedAt);

    [Fact]
    public async Task A_base_is_created_read_listed_in_creation_order_and_deleted()
    {
        var second = Base(Acme, "kb_b", T0.AddSeconds(2), description: null);
        var first = Base(Acme, "kb_a", T0);
        var tie = Base(Acme, "kb_0", T0.AddSeconds(2));
        await _store.CreateBaseAsync(second, default);
        await _store.CreateBaseAsync(first, default);
        await _store.CreateBaseAsync(tie, default);

        Assert.Equal(first, await _store.GetBaseAsync(Acme, "kb_a", default));
        Assert.Equal(second, await _store.GetBaseAsync(Acme, "kb_b", default));
        Assert.Null(await _store.GetBaseAsync(Acme, "kb_missing", default));
        Assert.Equal(["kb_a", "kb_0", "kb_b"], (await _store.ListBasesAsync(Acme, default)).Select(b => b.Id));

        Assert.True(await _store.DeleteBaseAsync(Acme, "kb_a", default));
        Assert.False(await _store.DeleteBaseAsync(Acme, "kb_a", default));
        Assert.Null(await _store.GetBaseAsync(Acme, "kb_a", default));
        Assert.Equal(["kb_0", "kb_b"], (await _store.ListBasesAsync(Acme, default)).Select(b => b.Id));
    }

    [Fact]
    public async Task Creating_a_base_twice_fails()
    {
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        await Assert.ThrowsAnyAsync<Exception>(() => _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default));
    }

    [Fact]
    public async Task Sources_are_upserted_read_with_content_and_listed_newest_first_without_content_page_by_page()
    {
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        var doc = Source(Acme, "kb_1", "doc:1/a?b#c", T0.AddSeconds(1), content: "Refunds within 30 days.");
        var faq = Source(Acme, "kb_1", "faq-price", T0.AddSeconds(3), SourceKind.Faq, title: null, content: "Q: price?\nA: €49");
        var tie = Source(Acme, "kb_1", "doc-0", T0.AddSeconds(3));
        await _store.UpsertSourceAsync(doc, default);
        await _store.UpsertSourceAsync(faq, default);
        await _store.UpsertSourceAsync(tie, default);

        Assert.Equal(doc, await _store.GetSourceAsync(Acme, "kb_1", "doc:1/a?b#c", default));
        Assert.Equal(faq, await _store.GetSourceAsync(Acme, "kb_1", "faq-price", default));
        Assert.Null(await _store.GetSourceAsync(Acme, "kb_1", "missing", default));
        Assert.Null(await _store.GetSourceAsync(Acme, "kb_other", "faq-price", default));

        var listed = (await _store.ListSourcesAsync(Acme, "kb_1", null, 10, default)).Items;
        Assert.Equal(["faq-price", "doc-0", "doc:1/a?b#c"], listed.Select(s => s.Id));
        Assert.All(listed, s => Assert.Equal("", s.Content));
        Assert.Equal(faq with { Content = "" }, listed[0]);
        var firstTwo = await _store.ListSourcesAsync(Acme, "kb_1", null, 2, default);
        Assert.Equal(["faq-price", "doc-0"], firstTwo.Items.Select(s => s.Id));
        Assert.Equal(["doc:1/a?b#c"], (await _store.ListSourcesAsync(Acme, "kb_1", firstTwo.Next, 2, default)).Items.Select(s => s.Id));

        // The base's update time follows its newest source.
        Assert.Equal(T0.AddSeconds(3), (await _store.GetBaseAsync(Acme, "kb_1", default))!.UpdatedAt);
    }

    [Fact]
    public async Task A_walk_through_the_sources_reaches_each_once_while_sources_are_replaced_or_added()
    {
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        for (var i = 0; i < 7; i++)
        {
            await _store.UpsertSourceAsync(Source(Acme, "kb_1", $"doc-{i}", T0.AddSeconds(i / 2)), default);
        }

        var seen = new List<string>();
        PagePosition? after = null;
        var pages = 0;
        do
        {
            var page = await _store.ListSourcesAsync(Acme, "kb_1", after, 3, default);
            seen.AddRange(page.Items.Select(s => s.Id));
            after = page.Next;
            if (++pages == 1)
            {
                // A replacement keeps its creation time and so its place; a new source is newer than the walk.
                await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-0", T0.AddMinutes(1)) with { CreatedAt = T0.AddMinutes(1) }, default);
                await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-6", T0.AddMinutes(1)) with { CreatedAt = T0.AddMinutes(1) }, default);
                await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-new", T0.AddMinutes(1)), default);
            }
        }
        while (after is not null);

        Assert.Equal(["doc-6", "doc-5", "doc-4", "doc-3", "doc-2", "doc-1", "doc-0"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Upserting_the_same_id_replaces_the_source_but_keeps_its_creation_time_and_never_moves_the_base_back()
    {
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-1", T0.AddSeconds(5), status: IngestStatus.Ready, chunks: 3, tokens: 30), default);
        var replacement = Source(Acme, "kb_1", "doc-1", T0.AddSeconds(9), SourceKind.Faq, content: "New content", title: "New title") with { CreatedAt = T0.AddSeconds(9) };
        await _store.UpsertSourceAsync(replacement, default);

        var stored = await _store.GetSourceAsync(Acme, "kb_1", "doc-1", default);
        Assert.Equal(replacement with { CreatedAt = T0.AddSeconds(5) }, stored);
        Assert.Single((await _store.ListSourcesAsync(Acme, "kb_1", null, 10, default)).Items);

        // An older write does not move the base's update time back.
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-2", T0.AddSeconds(1)), default);
        Assert.Equal(T0.AddSeconds(9), (await _store.GetBaseAsync(Acme, "kb_1", default))!.UpdatedAt);
    }

    [Fact]
    public async Task Status_is_recorded_only_while_the_source_is_at_the_expected_version()
    {
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        var source = Source(Acme, "kb_1", "doc-1", T0.AddSeconds(1));
        await _store.UpsertSourceAsync(source, default);

        Assert.True(await _store.SetStatusAsync(Acme, "kb_1", "doc-1", source.UpdatedAt, IngestStatus.Ingesting, 0, 0, null, default));
        Assert.True(await _store.SetStatusAsync(Acme, "kb_1", "doc-1", source.UpdatedAt, IngestStatus.Failed, 2, 20, "boom", default));
        var failed = await _store.GetSourceAsync(Acme, "kb_1", "doc-1", default);
        Assert.Equal(source with { Status = IngestStatus.Failed, ChunkCount = 2, TokenCount = 20, Error = "boom" }, failed);

        // A newer import owns the source: the stale run's status is ignored.
        var newer = source with { Content = "Newer", Status = IngestStatus.Pending, UpdatedAt = T0.AddSeconds(2) };
        await _store.UpsertSourceAsync(newer, default);
        Assert.False(await _store.SetStatusAsync(Acme, "kb_1", "doc-1", source.UpdatedAt, IngestStatus.Ready, 5, 50, null, default));
        Assert.Equal(newer, await _store.GetSourceAsync(Acme, "kb_1", "doc-1", default));

        Assert.True(await _store.SetStatusAsync(Acme, "kb_1", "doc-1", newer.UpdatedAt, IngestStatus.Ready, 5, 50, null, default));
        Assert.Equal(newer with { Status = IngestStatus.Ready, ChunkCount = 5, TokenCount = 50 }, await _store.GetSourceAsync(Acme, "kb_1", "doc-1", default));
        Assert.False(await _store.SetStatusAsync(Acme, "kb_1", "missing", newer.UpdatedAt, IngestStatus.Ready, 1, 1, null, default));
    }

    [Fact]
    public async Task Clearing_a_base_removes_its_sources_only_and_touches_it()
    {
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        await _store.CreateBaseAsync(Base(Acme, "kb_2", T0), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-1", T0.AddSeconds(1)), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-2", T0.AddSeconds(2)), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_2", "doc-1", T0.AddSeconds(1)), default);

        Assert.Equal(2, await _store.ClearBaseAsync(Acme, "kb_1", default));
        Assert.Empty((await _store.ListSourcesAsync(Acme, "kb_1", null, 10, default)).Items);
        Assert.Null(await _store.GetSourceAsync(Acme, "kb_1", "doc-1", default));
        var cleared = await _store.GetBaseAsync(Acme, "kb_1", default);
        Assert.NotNull(cleared);
        Assert.True(cleared.UpdatedAt > T0.AddSeconds(2));
        Assert.Single((await _store.ListSourcesAsync(Acme, "kb_2", null, 10, default)).Items);
        Assert.Equal(0, await _store.ClearBaseAsync(Acme, "kb_1", default));
    }

    [Fact]
    public async Task Deleting_a_base_removes_its_sources()
    {
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        await _store.CreateBaseAsync(Base(Acme, "kb_2", T0), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-1", T0.AddSeconds(1)), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_2", "doc-1", T0.AddSeconds(1)), default);

        Assert.True(await _store.DeleteBaseAsync(Acme, "kb_1", default));
        Assert.Null(await _store.GetSourceAsync(Acme, "kb_1", "doc-1", default));

        // A base created again under the same id starts empty.
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0.AddSeconds(5)), default);
        Assert.Empty((await _store.ListSourcesAsync(Acme, "kb_1", null, 10, default)).Items);
        Assert.Equal(new KnowledgeStats(0, 0, 0, 0, 0, 0, T0.AddSeconds(5)), await _store.GetStatsAsync(Acme, "kb_1", default));
        Assert.NotNull(await _store.GetSourceAsync(Acme, "kb_2", "doc-1", default));
    }

    [Fact]
    public async Task Stats_count_kinds_chunks_tokens_and_progress_of_one_base()
    {
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        await _store.CreateBaseAsync(Base(Acme, "kb_2", T0), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-ready", T0.AddSeconds(1), status: IngestStatus.Ready, chunks: 4, tokens: 400), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-pending", T0.AddSeconds(2)), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-failed", T0.AddSeconds(3), status: IngestStatus.Failed), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "faq-1", T0.AddSeconds(4), SourceKind.Faq, IngestStatus.Ready, 1, 25), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "faq-2", T0.AddSeconds(6), SourceKind.Faq, IngestStatus.Ingesting), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_2", "doc-other", T0.AddSeconds(9), status: IngestStatus.Ready, chunks: 9, tokens: 900), default);

        Assert.Equal(new KnowledgeStats(3, 2, 5, 425, 2, 1, T0.AddSeconds(6)), await _store.GetStatsAsync(Acme, "kb_1", default));
        Assert.Equal(new KnowledgeStats(0, 0, 0, 0, 0, 0, null), await _store.GetStatsAsync(Acme, "kb_missing", default));
    }

    [Fact]
    public async Task Usage_counts_the_clients_bases_documents_and_recorded_chunks_over_all_its_bases_and_no_other_clients()
    {
        Assert.Equal(new KnowledgeUsage(0, 0, 0), await _store.GetUsageAsync(Acme, default));
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        await _store.CreateBaseAsync(Base(Acme, "kb_2", T0), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-ready", T0.AddSeconds(1), status: IngestStatus.Ready, chunks: 4, tokens: 400), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_2", "doc-pending", T0.AddSeconds(2)), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_2", "faq-1", T0.AddSeconds(3), SourceKind.Faq, IngestStatus.Ready, 1, 25), default);
        await _store.CreateBaseAsync(Base(Globex, "kb_1", T0), default);
        await _store.UpsertSourceAsync(Source(Globex, "kb_1", "doc-ready", T0.AddSeconds(1), status: IngestStatus.Ready, chunks: 50, tokens: 5000), default);

        Assert.Equal(new KnowledgeUsage(2, 2, 5), await _store.GetUsageAsync(Acme, default));
        Assert.Equal(new KnowledgeUsage(1, 1, 50), await _store.GetUsageAsync(Globex, default));

        // A re-import resets the source's chunks until it is indexed again; clearing and deleting free what they removed.
        var reimport = Source(Acme, "kb_1", "doc-ready", T0.AddSeconds(4));
        await _store.UpsertSourceAsync(reimport, default);
        Assert.Equal(new KnowledgeUsage(2, 2, 1), await _store.GetUsageAsync(Acme, default));
        await _store.SetStatusAsync(Acme, "kb_1", "doc-ready", reimport.UpdatedAt, IngestStatus.Ready, 7, 700, null, default);
        Assert.Equal(new KnowledgeUsage(2, 2, 8), await _store.GetUsageAsync(Acme, default));
        await _store.ClearBaseAsync(Acme, "kb_2", default);
        Assert.Equal(new KnowledgeUsage(2, 1, 7), await _store.GetUsageAsync(Acme, default));
        await _store.DeleteBaseAsync(Acme, "kb_1", default);
        Assert.Equal(new KnowledgeUsage(1, 0, 0), await _store.GetUsageAsync(Acme, default));
        Assert.Equal(new KnowledgeUsage(1, 1, 50), await _store.GetUsageAsync(Globex, default));
    }

    [Fact]
    public async Task Each_client_sees_only_its_own_bases_and_sources()
    {
        await _store.CreateBaseAsync(Base(Acme, "kb_1", T0), default);
        await _store.UpsertSourceAsync(Source(Acme, "kb_1", "doc-1", T0.AddSeconds(1), status: IngestStatus.Ready, chunks: 2, tokens: 20), default);

        // The same ids are free for another client.
        await _store.CreateBaseAsync(Base(Globex, "kb_1", T0.AddSeconds(3), description: "Globex"), default);
        await _store.UpsertSourceAsync(Source(Globex, "kb_1", "doc-1", T0.AddSeconds(4), content: "Globex content"), default);

        Assert.Equal("About", (await _store.GetBaseAsync(Acme, "kb_1", default))!.Description);
        Assert.Equal("Globex", (await _store.GetBaseAsync(Globex, "kb_1", default))!.Description);
        Assert.Equal("Some content", (await _store.GetSourceAsync(Acme, "kb_1", "doc-1", default))!.Content);
        Assert.Single(await _store.ListBasesAsync(Globex, default));
        Assert.Empty(await _store.ListBasesAsync("initech", default));
        Assert.Null(await _store.GetSourceAsync("initech", "kb_1", "doc-1", default));
        Assert.Empty((await _store.ListSourcesAsync("initech", "kb_1", null, 10, default)).Items);

        // Another client's calls never reach acme's documents.
        Assert.False(await _store.SetStatusAsync("initech", "kb_1", "doc-1", T0.AddSeconds(1), IngestStatus.Failed, 0, 0, "x", default));
        Assert.Equal(0, await _store.ClearBaseAsync("initech", "kb_1", default));
        Assert.False(await _store.DeleteBaseAsync("initech", "kb_1", default));
        Assert.Equal(new KnowledgeStats(0, 0, 0, 0, 0, 0, null), await _store.GetStatsAsync("initech", "kb_1", default));

        Assert.True(await _store.DeleteBaseAsync(Globex, "kb_1", default));
        Assert.Equal(new KnowledgeStats(1, 0, 2, 20, 0, 0, T0.AddSeconds(1)), await _store.GetStatsAsync(Acme, "kb_1", default));
        Assert.Equal(IngestStatus.Ready, (await _store.GetSourceAsync(Acme, "kb_1", "doc-1", default))!.Status);
    }
}

/// <summary>The knowledge store contract against the embedded SQLite adapter (a real file in a temp directory).</summary>
public sealed class KnowledgeStoreContractTestsAgainstSqlite : KnowledgeStoreContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<IKnowledgeStore> CreateStoreAsync() => Task.FromResult<IKnowledgeStore>(new SqliteKnowledgeStore(_temp.Db));

    protected override Task DisposeStoreAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The knowledge store contract against the Cosmos adapter on the local stand-in; each test gets its own database.</summary>
[Collection(CosmosStandInCollection.Name)]
public sealed class KnowledgeStoreContractTestsAgainstCosmosStandIn(CosmosStandInFixture standIn) : KnowledgeStoreContractTests
{
    private CosmosStores? _stores;

    protected override async Task<IKnowledgeStore> CreateStoreAsync()
    {
        _stores = await standIn.CreateStoresAsync();
        return _stores.Knowledge;
    }

    protected override async Task DisposeStoreAsync()
    {
        await CosmosStandInFixture.DropAsync(_stores);
    }
}

using SalesFlow.Infrastructure.Embedded.Knowledge;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Tests.Knowledge;

/// <summary>
/// The embedded index's vector cache within its byte budget (Knowledge:VectorCacheMegabytes): least recently searched
/// bases go first, a reload finds the same, a base larger than the budget is searched but not kept, tenants stay apart.
/// </summary>
public sealed class VectorCacheAgainstSqliteTests : IDisposable
{
    private const string ClientA = "client-a";
    private const string ClientB = "client-b";

    /// <summary>One FAQ is one chunk of the hashed embedder's 384 dimensions.</summary>
    private static readonly long OneChunk = (384 * 5) + 4 + 8 + VectorSlab.RowMapEntryBytes;

    private KnowledgeHarness _h = new();

    public void Dispose() => _h.Dispose();

    private void Budget(long bytes)
    {
        _h.Dispose();
        _h = new KnowledgeHarness(vectorCacheBytes: bytes);
    }

    private async Task<string> BaseWithFaqsAsync(string clientId, string name, int faqs = 1)
    {
        var kb = await _h.Service.CreateBaseAsync(clientId, name, null, default);
        await _h.Service.ImportFaqsAsync(clientId, kb.Id, Enumerable.Range(0, faqs).Select(i => new FaqInput($"{name}-{i}", $"What does the {name} model {i} cost?", $"The {name} model {i} costs {100 + i} euros.")).ToList(), default);
        return kb.Id;
    }

    private Task<IReadOnlyList<Passage>> SearchAsync(string clientId, string baseId, string query = "What does the model cost?") =>
        _h.Service.SearchAsync(clientId, new KnowledgeQuery(query, baseId, Top: 10, MinScore: 0, Mode: SearchMode.Vector), default);

    [Fact]
    public void ASlabsBytesAreItsFloatVectorsTheirInt8CopyScalesIdsAndIdLookup()
    {
        var slab = new VectorSlab(384, [1, 2, 3], new float[3 * 384]);

        Assert.Equal(3 * OneChunk, slab.Bytes);
        Assert.Equal(1956, OneChunk);
    }

    [Fact]
    public async Task TheLeastRecentlySearchedBaseIsEvictedFirst()
    {
        Budget(2 * OneChunk);
        var bikes = await BaseWithFaqsAsync(ClientA, "bike");
        var helmets = await BaseWithFaqsAsync(ClientA, "helmet");
        var locks = await BaseWithFaqsAsync(ClientA, "lock");

        await SearchAsync(ClientA, bikes);
        await SearchAsync(ClientA, helmets);
        await SearchAsync(ClientA, bikes); // bikes is now the more recent of the two
        await SearchAsync(ClientA, locks);

        Assert.Equal([(ClientA, locks), (ClientA, bikes)], _h.Index.CachedBases);
        Assert.Equal(2 * OneChunk, _h.Index.CachedBytes);
    }

    [Fact]
    public async Task ASearchAfterEvictionLoadsTheVectorsAgainAndFindsTheSameResults()
    {
        Budget(3 * OneChunk);
        var bikes = await BaseWithFaqsAsync(ClientA, "bike", faqs: 3);
        var helmets = await BaseWithFaqsAsync(ClientA, "helmet", faqs: 3);
        var before = await SearchAsync(ClientA, bikes, "How much is bike model 2?");

        await SearchAsync(ClientA, helmets);
        Assert.Equal([(ClientA, helmets)], _h.Index.CachedBases);
        var after = await SearchAsync(ClientA, bikes, "How much is bike model 2?");

        Assert.Equal(3, before.Count);
        Assert.Equal(before, after);
        Assert.Equal([(ClientA, bikes)], _h.Index.CachedBases);
    }

    [Fact]
    public async Task TheCachedBytesNeverExceedTheBudgetWhateverIsSearched()
    {
        var budget = (5 * OneChunk) + 100;
        Budget(budget);
        var bases = new List<string>();
        foreach (var (name, faqs) in new[] { ("bike", 1), ("helmet", 3), ("lock", 2), ("light", 4), ("bell", 1), ("pump", 5) })
        {
            bases.Add(await BaseWithFaqsAsync(ClientA, name, faqs));
        }

        foreach (var baseId in bases.Concat(bases.AsEnumerable().Reverse()).Concat(bases))
        {
            await SearchAsync(ClientA, baseId);
            Assert.InRange(_h.Index.CachedBytes, OneChunk, budget);
        }

        // A search over every base at once is bound by the same budget.
        await _h.Service.SearchAsync(ClientA, new KnowledgeQuery("What does the model cost?", Top: 10, MinScore: 0), default);
        Assert.InRange(_h.Index.CachedBytes, OneChunk, budget);
    }

    [Fact]
    public async Task ABaseLargerThanTheWholeBudgetIsSearchedButNotKept()
    {
        Budget(2 * OneChunk);
        var big = await BaseWithFaqsAsync(ClientA, "bike", faqs: 3);
        var small = await BaseWithFaqsAsync(ClientA, "helmet");
        await SearchAsync(ClientA, small);

        var found = await SearchAsync(ClientA, big, "What does the bike model 1 cost?");

        Assert.Equal("bike-1", found[0].SourceId);
        Assert.Equal([(ClientA, small)], _h.Index.CachedBases);
        Budget(0);
        var nothingKept = await BaseWithFaqsAsync(ClientA, "lock");
        Assert.Equal("lock-0", (await SearchAsync(ClientA, nothingKept))[0].SourceId);
        Assert.Equal(0, _h.Index.CachedSlabs);
    }

    [Fact]
    public async Task AWriteToACachedBaseReturnsItsBytesToTheBudget()
    {
        Budget(10 * OneChunk);
        var bikes = await BaseWithFaqsAsync(ClientA, "bike", faqs: 2);
        await SearchAsync(ClientA, bikes);
        Assert.Equal(2 * OneChunk, _h.Index.CachedBytes);

        await _h.Service.AddFaqAsync(ClientA, bikes, new FaqInput("bike-9", "Do bikes come assembled?", "Yes."), default);

        Assert.Equal(0, _h.Index.CachedBytes);
        await SearchAsync(ClientA, bikes);
        Assert.Equal(3 * OneChunk, _h.Index.CachedBytes);
    }

    [Fact]
    public async Task EvictionAndReloadingNeverMixTwoClientsVectorsEvenUnderTheSameBaseId()
    {
        // The index takes base ids as given; two clients with the same id are two cache entries.
        Budget(OneChunk);
        var vector = await new HashedEmbedder().GenerateAsync(["The secret price is 7 euros."]);
        var other = await new HashedEmbedder().GenerateAsync(["Our bicycles cost 499 euros."]);
        await _h.Index.ReplaceSourceAsync(new ChunkSource(ClientA, "kb_same", "a-secret", SourceKind.Faq, null), [new IndexedChunk(0, "The secret price is 7 euros.", 8, vector[0].Vector)], default);
        await _h.Index.ReplaceSourceAsync(new ChunkSource(ClientB, "kb_same", "b-bikes", SourceKind.Faq, null), [new IndexedChunk(0, "Our bicycles cost 499 euros.", 6, other[0].Vector)], default);

        for (var round = 0; round < 3; round++)
        {
            foreach (var (client, own) in new[] { (ClientA, "a-secret"), (ClientB, "b-bikes") })
            {
                var hits = await _h.Index.SearchAsync(new IndexQuery(client, ["kb_same"], "The secret price is 7 euros.", vector[0].Vector, 10, SearchMode.Vector), default);
                Assert.Equal([own], hits.Select(h => h.Source.SourceId));
                Assert.Equal([(client, "kb_same")], _h.Index.CachedBases);
            }
        }
    }
}

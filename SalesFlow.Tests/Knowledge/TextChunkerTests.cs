using SalesFlow.Core.Common;
using SalesFlow.Core.Knowledge.Chunking;

namespace SalesFlow.Tests.Knowledge;

public sealed class TextChunkerTests
{
    private static string Sentences(string topic, int count) =>
        string.Join(' ', Enumerable.Range(1, count).Select(i => $"The {topic} fact number {i} explains something useful about our {topic} offering."));

    [Fact]
    public void EveryChunkStaysWithinTheTokenBudget()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 30).Select(i => Sentences("pricing" + i, 12)));
        var chunks = new TextChunker(500, 50).Chunk(text, DocumentBlocks.PlainText);
        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c =>
        {
            Assert.InRange(c.Tokens, 1, 500);
            Assert.Equal(TokenEstimator.Count(c.Text), c.Tokens);
        });
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
    }

    [Fact]
    public void ConsecutiveChunksOfASectionOverlapByWholeSentences()
    {
        var text = Sentences("shipping", 200);
        var chunks = new TextChunker(200, 40).Chunk(text, DocumentBlocks.PlainText);
        Assert.True(chunks.Count >= 3);
        for (var i = 1; i < chunks.Count; i++)
        {
            var firstSentence = TextChunker.Sentences(chunks[i].Text).First();
            Assert.Contains(firstSentence, chunks[i - 1].Text, StringComparison.Ordinal);
            Assert.InRange(TokenEstimator.Count(firstSentence), 1, 40);
            Assert.EndsWith(".", chunks[i].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MarkdownHeadingsStartNewChunksAndContinuationsRepeatTheHeading()
    {
        var markdown = $"# Pricing\n\n{Sentences("price", 3)}\n\n# Shipping\n\n{Sentences("delivery", 60)}\n\n## Returns\n\nReturns are accepted within 30 days.";
        var chunks = new TextChunker(200, 30).Chunk(markdown, DocumentBlocks.Markdown);
        Assert.StartsWith("# Pricing", chunks[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("delivery", chunks[0].Text, StringComparison.Ordinal);
        var shipping = chunks.Where(c => c.Text.Contains("delivery", StringComparison.Ordinal)).ToList();
        Assert.True(shipping.Count >= 2);
        Assert.All(shipping, c => Assert.StartsWith("# Shipping", c.Text, StringComparison.Ordinal));
        Assert.StartsWith("## Returns", chunks[^1].Text, StringComparison.Ordinal);
        Assert.Contains("30 days", chunks[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlIsReducedToItsTextAlongItsHeadingsAndBlocks()
    {
        var html = "<html><head><style>p{}</style><script>var x = 'secret';</script></head><body><nav>Home | About</nav>"
            + "<h1>Opening hours</h1><p>We are open <b>Monday to Friday</b>, 9:00–18:00.</p><ul><li><p>Saturday: 10:00–14:00</p></li><li>Sunday: closed</li></ul></body></html>";
        var chunks = new TextChunker().Chunk(html, DocumentBlocks.Html);
        var chunk = Assert.Single(chunks);
        Assert.Equal("# Opening hours\n\nWe are open Monday to Friday, 9:00–18:00.\n\nSaturday: 10:00–14:00\n\nSunday: closed", chunk.Text);
    }

    [Fact]
    public void AnEndlessSentenceIsCutByWordsWithinTheBudget()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 3000));
        var chunks = new TextChunker(500, 50).Chunk(text, DocumentBlocks.PlainText);
        Assert.All(chunks, c => Assert.InRange(c.Tokens, 1, 500));
        Assert.True(chunks.Sum(c => c.Tokens) >= 3000);
    }

    [Fact]
    public void AbbreviationsDoNotEndSentences()
    {
        var sentences = TextChunker.Sentences("Dr. Smith signs e.g. contracts. Prices start at approx. 49 EUR! Ask us?").ToList();
        Assert.Equal(["Dr. Smith signs e.g. contracts.", "Prices start at approx. 49 EUR!", "Ask us?"], sentences);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("hello world", 2)]
    [InlineData("The price is 1234567 EUR.", 9)] // cl100k cuts digits in groups of three: 123|456|7
    [InlineData("internationalization", 4)]
    public void TokenEstimatesAreCl100kLike(string text, int expected) => Assert.Equal(expected, TokenEstimator.Count(text));
}

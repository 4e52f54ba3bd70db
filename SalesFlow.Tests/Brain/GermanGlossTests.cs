using SalesFlow.Infrastructure.Brain;

namespace SalesFlow.Tests.Brain;

/// <summary>The word-by-word English gloss through which the English-only embedding model reads German messages.</summary>
public sealed class GermanGlossTests : IClassFixture<SentenceEmbedderTests.Embedder>
{
    private static readonly GermanGloss Small = GermanGloss.Parse(
        "# test glossary\nkönnen\tcan\nwir\twe\nnächste\tnext\nwoche\tweek\ntelefonieren\tphone\ntermin\tappointment\n" +
        "vorschlag\tsuggestion\nvertrag\tcontract\nlaufzeit\tterm\nkunden\tcustomer\nnummer\tnumber\nmöchte\twould like\n" +
        "preis\tprice\nleistung\tperformance\nverhältnis\tratio\nmit\twith\ndonaudampfschifffahrtsgesellschaft\tdanube shipping\n");

    private readonly SentenceEmbedder _embedder;

    public GermanGlossTests(SentenceEmbedderTests.Embedder fixture) => _embedder = fixture.Value;

    [Fact]
    public void KnownWordsAreReplacedAndPunctuationAndUnknownWordsStay()
    {
        Assert.Equal("can we next week with Anna phone?", Small.Gloss("Können wir nächste Woche mit Anna telefonieren?"));
        Assert.Equal("can we HubSpot?", Small.Gloss("Können wir HubSpot?"));
    }

    [Theory]
    [InlineData("Terminvorschlag", "appointment suggestion")]
    [InlineData("Kundennummer", "customer number")]
    [InlineData("Vertragslaufzeit", "contract term")] // linking s dropped
    [InlineData("Preis-Leistung-Verhältnis", "price performance ratio")]
    public void CompoundsAreReadByTheirKnownParts(string german, string gloss) =>
        Assert.Equal(gloss, Small.Gloss(german));

    [Fact]
    public void UmlautsWrittenOutAreRecognised() =>
        Assert.Equal("would like appointment", Small.Gloss("moechte Termin"));

    [Theory]
    [InlineData("Kundennummervertragterminvorschlag")] // five parts: more than a message's compounds have
    [InlineData("Donaudampfschifffahrtsgesellschafttelefonieren")] // two known parts, but longer than any real compound
    public void AnOverlongOrManyPartedWordIsNotSplit(string word) =>
        Assert.Equal(word, Small.Gloss(word));

    [Fact]
    public void OnlyTheOpeningOfALongMessageIsGlossed()
    {
        var gloss = Small.Gloss(string.Concat(Enumerable.Repeat("Können wir telefonieren? ", 200)));

        Assert.InRange(gloss.Length, SentenceEmbedder.MaxCharacters, 2 * SentenceEmbedder.MaxCharacters);
        Assert.StartsWith("can we phone? can we phone?", gloss, StringComparison.Ordinal);
    }

    [Fact]
    public void AWordWithNoKnownPartsIsKeptAsWritten() =>
        Assert.Equal("Zahnarztpraxis", Small.Gloss("Zahnarztpraxis"));

    [Theory]
    [InlineData("Können wir telefonieren?", "de", EmbeddingFeature.GermanGlossed, "can we phone?")]
    [InlineData("Können wir telefonieren?", "de", EmbeddingFeature.AsWritten, "Können wir telefonieren?")]
    [InlineData("termin", "en", EmbeddingFeature.GermanGlossed, "termin")] // only what the rules read as German is glossed
    public void OnlyAGlossedModelReadsAGermanMessageByItsGloss(string text, string language, EmbeddingFeature feature, string embedded) =>
        Assert.Equal(embedded, Small.TextToEmbed(text, language, feature));

    [Fact]
    public void AGlossaryWithAWordTwiceIsRejected()
    {
        var error = Assert.Throws<FormatException>(() => GermanGloss.Parse("termin\tappointment\nTermin\tdate\n"));
        Assert.Contains("Termin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheShippedGlossaryLoadsAndCoversEverydayAndSalesGerman()
    {
        Assert.True(GermanGloss.Embedded.Count >= 2000, $"{GermanGloss.Embedded.Count} entries");
        var gloss = GermanGloss.Embedded.Gloss("Können wir nächste Woche telefonieren? Was kostet das Angebot? Bitte abmelden.");

        Assert.DoesNotMatch(@"(?i)\b(können|wir|nächste|woche|telefonieren|was|kostet|das|angebot|bitte|abmelden)\b", gloss);
    }

    [Theory]
    [InlineData("Können wir nächste Woche telefonieren?", "Can we have a phone call next week?")]
    [InlineData("Was kostet das im Monat?", "What does it cost per month?")]
    [InlineData("Ich möchte mit einem Mitarbeiter sprechen", "I would like to talk to an employee")]
    public void AGlossedGermanMessageLiesCloserToItsEnglishTwinThanTheGermanAsWritten(string german, string english)
    {
        var twin = _embedder.Embed(english);
        var asWritten = Cosine(_embedder.Embed(german), twin);
        var glossed = Cosine(_embedder.Embed(GermanGloss.Embedded.Gloss(german)), twin);

        Assert.True(glossed > asWritten + 0.15, $"glossed {glossed:F2}, as written {asWritten:F2}");
    }

    private static double Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);
}

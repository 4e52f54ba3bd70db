using System.Text.Json;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Tests.Brain;

public sealed class ExtractionAnswerTests
{
    private static readonly LeadInsights Insights = new(
        new MessageAnalysis("de", Intent.Pricing, Sentiment.Positive, 0.4, 0.9),
        ConversationState.PriceNegotiation,
        0.85,
        new BantSignals(new BantSignal(0.8, "bis 15.000 Euro"), BantSignal.None, new BantSignal(0.7, "Stromkosten senken"), BantSignal.None),
        new DiscSignals(0.7, 0.2, 0.1, 0.4),
        new KeyFacts("Jonas Müller", "Müller GmbH", null, "15.000 Euro", "Sommer", ["hohe Stromkosten"], "jonas@example.com"),
        "llm");

    [Fact]
    public void The_answer_json_reads_back_as_the_same_insights()
    {
        const string text = "Ich bin Jonas Müller von der Müller GmbH, jonas@example.com";
        var back = LlmInsightsExtractor.Parse(LlmInsightsExtractor.ToJson(Insights), new MessageAnalysis("de", Intent.Other, Sentiment.Neutral, 0, 0.3), text);

        Assert.Equal(Insights.Analysis, back.Analysis);
        Assert.Equal(Insights.SuggestedState, back.SuggestedState);
        Assert.Equal(Insights.Bant, back.Bant);
        // The scores come back; the words that showed them are the lead's message itself (kept as the DISC signal).
        Assert.Equal(Insights.Disc with { Said = text }, back.Disc);
        Assert.Equal(Insights.Facts.Company, back.Facts.Company);
        Assert.Equal(Insights.Facts.PainPoints, back.Facts.PainPoints);
        Assert.Equal("jonas@example.com", back.Facts.Email);
    }

    [Fact]
    public void The_answer_json_has_exactly_the_properties_the_schema_requires_and_keeps_umlauts_unescaped()
    {
        var json = LlmInsightsExtractor.ToJson(Insights);
        using var answer = JsonDocument.Parse(json);

        static string[] Required(JsonElement schema) => schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order().ToArray();
        static string[] Names(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).Order().ToArray();
        var schema = LlmInsightsExtractor.Schema;
        Assert.Equal(Required(schema), Names(answer.RootElement));
        foreach (var nested in new[] { "bant", "disc", "facts" })
        {
            Assert.Equal(Required(schema.GetProperty("properties").GetProperty(nested)), Names(answer.RootElement.GetProperty(nested)));
        }

        Assert.Contains("Jonas Müller", json, StringComparison.Ordinal);
    }
}

using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>POST /api/intelligence/analyze answers with the combined reading (rules + learnt model) in the real app process.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LearntBrainOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    [Fact]
    public async Task AnalyzeReadsAHandOverTheRulesAloneMiss()
    {
        var result = await App.Http.PostJsonAsync("/api/intelligence/analyze", new { text = "ich möchte mit Ihrem Außendienst sprechen" });

        Assert.Equal("human", result.Str("intent"));
        Assert.Equal("de", result.Str("language"));
    }

    [Fact]
    public async Task AnalyzeKeepsTheRulesOptOut()
    {
        var result = await App.Http.PostJsonAsync("/api/intelligence/analyze", new { text = "STOP" });

        Assert.Equal("opt_out", result.Str("intent"));
    }
}

using SalesFlow.Core.Brain;
using SalesFlow.Core.Qualification;

namespace SalesFlow.Tests.Qualification;

public sealed class LeadProfileMergerTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static LeadInsights Turn(double sentiment = 0, BantSignals? bant = null, DiscSignals? disc = null, KeyFacts? facts = null) =>
        new(new MessageAnalysis("en", Intent.Question, sentiment > 0.2 ? Sentiment.Positive : sentiment < -0.2 ? Sentiment.Negative : Sentiment.Neutral, sentiment, 0.9), null, 0, bant ?? BantSignals.None, disc ?? DiscSignals.None, facts ?? KeyFacts.None, "llm");

    [Fact]
    public void BantScoresOnlyRiseAndKeepTheNewestThreeDistinctEvidences()
    {
        var profile = LeadProfile.New("acme", "lead_1");
        foreach (var (score, said) in new[] { (0.5, "maybe 5k"), (0.9, "5,000 € approved"), (0.3, "budget is tight"), (0.4, "5,000 € approved"), (0.2, "we have a budget line") })
        {
            profile = LeadProfileMerger.Merge(profile, Turn(bant: BantSignals.None with { Budget = new BantSignal(score, said) }), Now);
        }

        Assert.Equal(0.9, profile.Bant.Budget.Score);
        Assert.Equal(["we have a budget line", "budget is tight", "5,000 € approved"], profile.Bant.Budget.Evidence);
        Assert.Equal("cold", profile.Bant.Temperature); // one criterion of four
    }

    [Fact]
    public void DiscIsARunningMeanWhoseConfidenceGrowsWithConsistentTurns()
    {
        var profile = LeadProfile.New("acme", "lead_1");
        profile = LeadProfileMerger.Merge(profile, Turn(disc: new DiscSignals(0.8, 0, 0, 0.2)), Now);
        var afterOne = profile.Disc;
        profile = LeadProfileMerger.Merge(profile, Turn(), Now); // no style shown: neither confirms nor dilutes
        Assert.Equal(afterOne, profile.Disc);
        profile = LeadProfileMerger.Merge(profile, Turn(disc: new DiscSignals(0.6, 0, 0, 0)), Now);
        profile = LeadProfileMerger.Merge(profile, Turn(disc: new DiscSignals(0.7, 0.1, 0, 0)), Now);

        Assert.Equal(3, profile.Disc.Samples);
        Assert.Equal(0.7, profile.Disc.Dominance, 3);
        Assert.Equal("D", profile.Disc.Primary);
        Assert.True(profile.Disc.Confidence > afterOne.Confidence);
    }

    [Fact]
    public void EachTurnThatShowsAStyleKeepsTheLeadsWordsAsASignalNewestFirst()
    {
        var profile = LeadProfile.New("acme", "lead_1");
        profile = LeadProfileMerger.Merge(profile, Turn(disc: new DiscSignals(0.6, 0, 0, 0) { Said = "Price. Now." }), Now);
        profile = LeadProfileMerger.Merge(profile, Turn(), Now);
        profile = LeadProfileMerger.Merge(profile, Turn(disc: new DiscSignals(0, 0.6, 0, 0.6) { Said = "Love it!! How exactly does the API work?" }), Now);

        Assert.Equal(["IC: \"Love it!! How exactly does the API work?\"", "D: \"Price. Now.\""], profile.Disc.Signals);
        for (var i = 0; i < 15; i++)
        {
            profile = LeadProfileMerger.Merge(profile, Turn(disc: new DiscSignals(0.6, 0, 0, 0) { Said = $"Decide {i}." }), Now);
        }

        Assert.Equal(DiscReading.MaxSignals, profile.Disc.Signals!.Count);
        Assert.Equal("D: \"Decide 14.\"", profile.Disc.Signals[0]);
    }

    [Fact]
    public void LaterFactsWinPainPointsAccumulateAndSentimentTrends()
    {
        var profile = LeadProfileMerger.Merge(LeadProfile.New("acme", "lead_1"), Turn(0.8, facts: KeyFacts.None with { Company = "Acme", PainPoints = ["slow orders"] }), Now);
        profile = LeadProfileMerger.Merge(profile, Turn(-0.4, facts: KeyFacts.None with { Company = "Acme GmbH", Role = "CEO", PainPoints = ["Slow orders", "no overview"] }), Now.AddMinutes(1));

        Assert.Equal(("Acme GmbH", "CEO"), (profile.Facts.Company, profile.Facts.Role));
        Assert.Equal(["slow orders", "no overview"], profile.Facts.PainPoints);
        Assert.Equal(("negative", -0.4, 0.2), (profile.Sentiment.Label, profile.Sentiment.Latest, profile.Sentiment.Trend));
        Assert.Equal((2, "llm", Now.AddMinutes(1)), (profile.Turns, profile.LastSource, profile.UpdatedAt));
    }

    [Fact]
    public void ABantDimensionSetByARepIsNotOverwrittenByLaterTurnsWhileTheOthersStillMerge()
    {
        var profile = LeadProfile.New("acme", "lead_1") with
        {
            Bant = BantAssessment.Empty with { Budget = new BantDimension(0.2, ["rep: budget frozen until Q3"], BantDimension.Rep) },
        };

        profile = LeadProfileMerger.Merge(profile, Turn(bant: BantSignals.None with { Budget = new BantSignal(0.9, "we have 50k"), Need = new BantSignal(0.7, "orders are slow") }), Now);

        Assert.Equal((0.2, BantDimension.Rep), (profile.Bant.Budget.Score, profile.Bant.Budget.SetBy));
        Assert.Equal(["rep: budget frozen until Q3"], profile.Bant.Budget.Evidence);
        Assert.Equal(0.7, profile.Bant.Need.Score);
        Assert.Null(profile.Bant.Need.SetBy);
    }
}

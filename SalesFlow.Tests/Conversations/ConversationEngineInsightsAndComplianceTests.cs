using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.Intake;
using SalesFlow.Core.Qualification;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Conversations;

/// <summary>The turn's insights (profile, suggested state) and its compliance gate, on the real embedded stores.</summary>
public sealed class ConversationEngineInsightsAndComplianceTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    private static Client Acme => EngineTestBed.Acme;

    public void Dispose() => _bed.Dispose();

    private ConversationEngine Engine(IReplyGenerator? replies = null, ILeadInsightsExtractor? extractor = null, double suggestionConfidence = 0.7) =>
        _bed.Engine(replies: replies, extractor: extractor, options: new ConversationOptions { SuggestionConfidence = suggestionConfidence });

    private Task<IntakeResult> Say(string text, string wamid) => _bed.Say(text, wamid);

    private static Mock<IReplyGenerator> Writes(string text)
    {
        var replies = new Mock<IReplyGenerator>();
        replies.Setup(r => r.GenerateAsync(It.IsAny<ReplyRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(text);
        return replies;
    }

    private static Mock<ILeadInsightsExtractor> Suggests(ConversationState state, double confidence, Intent intent = Intent.Interest)
    {
        var extractor = new Mock<ILeadInsightsExtractor>();
        extractor.Setup(e => e.ExtractAsync(It.IsAny<string>(), It.IsAny<AnalysisContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new LeadInsights(new MessageAnalysis("en", intent, Sentiment.Neutral, 0, 0.9), state, confidence, BantSignals.None, DiscSignals.None, KeyFacts.None, "llm"));
        return extractor;
    }

    [Fact]
    public async Task ABlockedModelReplyNeverReachesTheOutboxAndTheRulesReplyGoesInstead()
    {
        var accepted = await Say("Hi, I'm interested in your product", "wamid.1");
        const string Reckless = "Guaranteed results, 100% risk-free! Only today we give you 50% off.";

        var turn = await Engine(Writes(Reckless).Object).ProcessLeadAsync("acme", accepted.LeadId, default);

        var item = Assert.Single(await _bed.Outbox.ListAsync("acme", accepted.LeadId, null, 10, default));
        Assert.DoesNotContain("Guaranteed", item.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("50%", item.Text, StringComparison.Ordinal);
        Assert.Equal(ComplianceVerdict.Blocked, turn!.Compliance!.Verdict);
        Assert.Equal(item.Text, turn.Compliance.Text);
        var entry = Assert.Single(await _bed.Audit.ListAsync("acme", accepted.LeadId, null, 10, default));
        Assert.Equal((ComplianceVerdict.Blocked, item.Id, "llm", item.Text), (entry.Verdict, entry.OutboxId, entry.Source, entry.FinalText));
        Assert.Contains(ComplianceRules.Guarantee, entry.RuleIds);
        Assert.Contains(ComplianceRules.Pressure, entry.RuleIds);
        Assert.Contains(ComplianceRules.InventedFigure, entry.RuleIds);
        Assert.Equal(Ids.Sha256Hex(Reckless), entry.OriginalHash);
        Assert.Equal(Ids.Sha256Hex(item.Text), entry.FinalHash);
    }

    [Fact]
    public async Task AnOffendingSentenceIsRemovedAndTheRestIsSent()
    {
        var accepted = await Say("Hi, I'm interested in your product", "wamid.1");

        var turn = await Engine(Writes("Great to hear from you! Our plan costs 99 € a month. What would you like to use it for?").Object).ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal("Great to hear from you! What would you like to use it for?", turn!.Reply!.Text);
        Assert.Equal(ComplianceVerdict.Rewritten, turn.Compliance!.Verdict);
        Assert.Equal([ComplianceRules.InventedFigure], turn.Compliance.RuleIds);
    }

    [Fact]
    public async Task TheRulesBrainsOwnReplyPassesAndIsAuditedAsRules()
    {
        var accepted = await Say("Hi, I'm interested in your product", "wamid.1");

        var turn = await Engine().ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(ComplianceVerdict.Pass, turn!.Compliance!.Verdict);
        var entry = Assert.Single(await _bed.Audit.ListAsync("acme", null, ComplianceVerdict.Pass, 10, default));
        Assert.Equal(("rules", entry.OriginalHash), (entry.Source, entry.FinalHash));
    }

    [Fact]
    public async Task TheBrainReadsAtMostTheTurnLimitOfAHugeMessageWhichIsStoredWhole()
    {
        string? read = null;
        var extractor = new Mock<ILeadInsightsExtractor>();
        extractor.Setup(e => e.ExtractAsync(It.IsAny<string>(), It.IsAny<AnalysisContext>(), It.IsAny<CancellationToken>()))
            .Callback<string, AnalysisContext, CancellationToken>((text, _, _) => read = text)
            .ReturnsAsync(new LeadInsights(new MessageAnalysis("en", Intent.Question, Sentiment.Neutral, 0, 0.9), null, 0, BantSignals.None, DiscSignals.None, KeyFacts.None, "llm"));
        var huge = "Tell me about pricing. " + new string('x', 50_000);
        var accepted = await Say(huge, "wamid.huge");

        await Engine(extractor: extractor.Object).ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(huge[..ConversationEngine.MaxTurnText], read);
        var stored = await _bed.Conversations.ListMessagesAsync("acme", (await _bed.Conversations.GetOrCreateForLeadAsync("acme", accepted.LeadId, Core.Channels.ChannelKind.WhatsApp, DateTimeOffset.UtcNow, default)).Id, 10, default);
        Assert.Contains(stored, m => m.Text == huge);
    }

    [Fact]
    public async Task TheBudgetTheLeadStatedReachesTheReplyAsTheDealValueOnLaterTurnsToo()
    {
        var seen = new List<decimal?>();
        var replies = new Mock<IReplyGenerator>();
        replies.Setup(r => r.GenerateAsync(It.IsAny<ReplyRequest>(), It.IsAny<CancellationToken>()))
            .Callback<ReplyRequest, CancellationToken>((request, _) => seen.Add(request.DealValue))
            .ReturnsAsync("Thanks, noted. What matters most to you?");
        var engine = Engine(replies.Object);

        var first = await Say("Hi, do you install solar panels?", "wamid.1");
        await engine.ProcessLeadAsync("acme", first.LeadId, default);
        var second = await Say("Our budget is around 25.000 € for the whole roof.", "wamid.2");
        await engine.ProcessLeadAsync("acme", second.LeadId, default);
        var third = await Say("When could you come by?", "wamid.3");
        await engine.ProcessLeadAsync("acme", third.LeadId, default);

        Assert.Equal([null, 25_000m, 25_000m], seen);
    }

    [Fact]
    public async Task KeyFactsBantAndDiscAreMergedIntoTheProfileOncePerTurn()
    {
        var first = await Say("My name is Anna Meyer, I'm the CEO of a bakery. We need a faster ordering system, our budget is 5,000 €.", "wamid.1");
        await Engine().ProcessLeadAsync("acme", first.LeadId, default);
        var second = await Say("We want it by the end of next month. Can you send details and a comparison?", "wamid.2");
        await Engine().ProcessLeadAsync("acme", second.LeadId, default);
        await Engine().ProcessLeadAsync("acme", second.LeadId, default); // nothing new: no second merge

        var profile = (await _bed.Profiles.GetAsync("acme", first.LeadId, default))!;
        Assert.Equal(2, profile.Turns);
        Assert.Equal("Anna Meyer", profile.Facts.Name);
        Assert.Equal("CEO", profile.Facts.Role);
        Assert.Equal("5,000 €", profile.Facts.Budget);
        Assert.Contains("next month", profile.Facts.Timeline, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(profile.Facts.PainPoints);
        Assert.True(profile.Bant.Budget.Score >= 0.8);
        Assert.Contains("budget is 5,000 €", profile.Bant.Budget.Evidence[0], StringComparison.Ordinal);
        Assert.True(profile.Bant.Authority.Score >= 0.7);
        Assert.True(profile.Bant.Timeline.Score >= 0.7);
        Assert.True(profile.Disc.Conscientiousness > 0);
        Assert.Equal("rules", profile.LastSource);
    }

    [Fact]
    public async Task AConfidentSuggestionAlongAnAllowedEdgeIsTaken()
    {
        var accepted = await Say("Hello", "wamid.1");

        var turn = await Engine(extractor: Suggests(ConversationState.PriceNegotiation, 0.9).Object).ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(ConversationState.PriceNegotiation, turn!.Conversation.State);
        Assert.StartsWith("suggested by llm", turn.Conversation.History[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASuggestionBelowTheThresholdLeavesTheRulesToDecide()
    {
        var accepted = await Say("Hello", "wamid.1");

        var turn = await Engine(extractor: Suggests(ConversationState.PriceNegotiation, 0.6).Object, suggestionConfidence: 0.7).ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(ConversationState.InterestQualification, turn!.Conversation.State); // the rules' move for interest
    }

    [Fact]
    public async Task ASuggestionAlongAForbiddenEdgeIsIgnored()
    {
        var accepted = await Say("Hello", "wamid.1");

        // post_purchase is reached only from a closing attempt.
        var turn = await Engine(extractor: Suggests(ConversationState.PostPurchase, 0.99).Object).ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(ConversationState.InterestQualification, turn!.Conversation.State);
    }

    [Fact]
    public async Task AnOptOutIsNeverMovedBySuggestion()
    {
        var accepted = await Say("STOP", "wamid.1");

        var turn = await Engine(extractor: Suggests(ConversationState.ClosingAttempt, 0.99, Intent.OptOut).Object).ProcessLeadAsync("acme", accepted.LeadId, default);

        Assert.Equal(ConversationState.InitialContact, turn!.Conversation.State);
        Assert.Equal(OutboxPurpose.OptOutConfirmation, turn.Reply!.Purpose);
    }

    [Fact]
    public async Task AStreamedTurnHandsOutTheTokensOfTheReplyItStores()
    {
        var accepted = await Say("Hi, I'm interested in your product", "wamid.1");
        var tokens = new List<string>();

        var turn = await Engine().ProcessLeadAsync("acme", accepted.LeadId, (token, _) =>
        {
            tokens.Add(token);
            return ValueTask.CompletedTask;
        }, default);

        Assert.True(tokens.Count > 3);
        Assert.Equal(turn!.Reply!.Text, string.Concat(tokens));
    }
}

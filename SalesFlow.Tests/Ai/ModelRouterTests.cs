using Microsoft.Extensions.Options;
using SalesFlow.Core.Ai;
using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Llm;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Tests.Ai;

public sealed class ModelRouterTests
{
    private static readonly ModelRouter Router = new(Options.Create(new AiOptions
    {
        Provider = AiProvider.OpenAI,
        ChatModel = "gpt-4o",
        SmallChatModel = "gpt-4o-mini",
        Clients = { ["vip"] = new ClientAiOptions { ChatModel = "gpt-4.1", SmallChatModel = "gpt-4.1-mini" } },
    }));

    private static RouteInput Turn(
        ConversationState state = ConversationState.InitialContact,
        Intent intent = Intent.Greeting,
        double sentiment = 0,
        int length = 40,
        bool objection = false,
        decimal? deal = null,
        double? budget = null,
        double confidence = 0.9) => new(state, intent, sentiment, length, objection, deal, budget, confidence);

    public static TheoryData<string, RouteInput, ModelTier> Table() => new()
    {
        { "greeting", Turn(), ModelTier.Small },
        { "qualification question", Turn(ConversationState.InterestQualification, Intent.Question), ModelTier.Small },
        { "value proposition, short", Turn(ConversationState.ValueProposition, Intent.Interest), ModelTier.Small },
        { "value proposition, long message", Turn(ConversationState.ValueProposition, Intent.Interest, length: 500), ModelTier.Large },
        { "objection handling", Turn(ConversationState.ObjectionHandling, Intent.Objection, objection: true), ModelTier.Large },
        // Was Small: the routing guard (tools/SalesFlow.RoutingEval) requires every objection on the large model.
        { "objection in qualification", Turn(ConversationState.InterestQualification, Intent.Objection), ModelTier.Large },
        { "price negotiation", Turn(ConversationState.PriceNegotiation, Intent.Pricing), ModelTier.Small },
        { "price negotiation, annoyed", Turn(ConversationState.PriceNegotiation, Intent.Pricing, sentiment: -0.4), ModelTier.Large },
        { "closing", Turn(ConversationState.ClosingAttempt, Intent.Meeting), ModelTier.Large },
        { "angry lead early", Turn(sentiment: -0.7), ModelTier.Large },
        // Was Large: a large deal alone no longer buys the large model for routine turns (see ModelRouter, "deal").
        { "large deal, routine turn", Turn(ConversationState.InterestQualification, Intent.Question, deal: 50_000m), ModelTier.Small },
        { "large deal, price negotiation", Turn(ConversationState.PriceNegotiation, Intent.Pricing, deal: 50_000m), ModelTier.Large },
        { "mid deal, price negotiation", Turn(ConversationState.PriceNegotiation, Intent.Pricing, deal: 5_000m), ModelTier.Small },
        { "mildly negative question", Turn(ConversationState.InterestQualification, Intent.Support, sentiment: -0.15), ModelTier.Large },
        { "the yes turn after closing", Turn(ConversationState.PostPurchase, Intent.Purchase, sentiment: 0.5), ModelTier.Large },
        { "unread sentence", Turn(ConversationState.InterestQualification, Intent.Other, length: 60, confidence: 0.3), ModelTier.Large },
        { "unread short reply", Turn(ConversationState.InterestQualification, Intent.Other, length: 12, confidence: 0.3), ModelTier.Small },
        { "other, read with confidence", Turn(ConversationState.InterestQualification, Intent.Other, length: 60, confidence: 0.7), ModelTier.Small },
        { "mid deal, routine turn", Turn(ConversationState.InterestQualification, Intent.Question, deal: 2_000m), ModelTier.Small },
        { "post purchase", Turn(ConversationState.PostPurchase, Intent.Support), ModelTier.Small },
        { "objection, budget low", Turn(ConversationState.ObjectionHandling, Intent.Objection, budget: 0.1), ModelTier.Small },
        { "objection, angry, big deal, budget low", Turn(ConversationState.ObjectionHandling, Intent.Objection, sentiment: -0.7, deal: 20_000m, budget: 0.1), ModelTier.Large },
        { "budget spent", Turn(ConversationState.ClosingAttempt, Intent.Purchase, budget: 0), ModelTier.Rules },
        { "budget plenty", Turn(ConversationState.ClosingAttempt, Intent.Meeting, budget: 0.9), ModelTier.Large },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Routes_by_complexity_and_budget(string turn, RouteInput input, ModelTier expected)
    {
        var route = Router.Route("acme", input);

        Assert.True(expected == route.Tier, $"{turn}: {route.Reason} (score {route.Score})");
        Assert.Equal(expected switch { ModelTier.Large => "gpt-4o", ModelTier.Small => "gpt-4o-mini", _ => null }, route.Model);
    }

    [Fact]
    public void Per_client_models_override_the_defaults()
    {
        Assert.Equal("gpt-4.1", Router.Route("vip", Turn(ConversationState.ClosingAttempt)).Model);
        Assert.Equal("gpt-4.1-mini", Router.Route("vip", Turn()).Model);
    }

    [Fact]
    public void The_reason_names_what_made_a_turn_hard()
    {
        var route = Router.Route("acme", Turn(ConversationState.ObjectionHandling, Intent.Objection));

        Assert.Equal(6, route.Score);
        Assert.Equal("objection_handling+3 objection+3 → large", route.Reason);
    }

    private static ReplyRequest Reply(MessageAnalysis modelReading, MessageAnalysis? rulesReading, string text = "That is way too expensive for us.") =>
        new(ConversationState.InterestQualification, ConversationState.InitialContact, modelReading, "Anna", ChannelKind.WhatsApp, text, 2, "Acme",
            ClientId: "acme", Insights: new LeadInsights(modelReading, null, 0, BantSignals.None, DiscSignals.None, KeyFacts.None, "llm", rulesReading));

    [Fact]
    public void A_turn_the_model_reads_as_routine_but_the_rules_read_as_an_objection_goes_large()
    {
        var model = new MessageAnalysis("en", Intent.Question, Sentiment.Neutral, 0, 0.9);
        var rules = new MessageAnalysis("en", Intent.Objection, Sentiment.Negative, -0.3, 0.8);

        var route = LlmReplyGenerator.Route(Router, "acme", Reply(model, rules), null);

        Assert.Equal(ModelTier.Large, route.Tier);
        Assert.StartsWith("rules reading: objection+3", route.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_turn_the_model_reads_as_hard_goes_large_even_when_the_rules_read_it_as_routine()
    {
        var model = new MessageAnalysis("en", Intent.Objection, Sentiment.Neutral, 0, 0.9);
        var rules = new MessageAnalysis("en", Intent.Question, Sentiment.Neutral, 0, 0.8);

        var route = LlmReplyGenerator.Route(Router, "acme", Reply(model, rules), null);

        Assert.Equal(ModelTier.Large, route.Tier);
        Assert.Equal("objection+3 → large", route.Reason);
    }

    [Fact]
    public void Two_routine_readings_stay_on_the_small_model_and_the_budget_still_decides_first()
    {
        var model = new MessageAnalysis("en", Intent.Question, Sentiment.Neutral, 0, 0.9);
        var rules = new MessageAnalysis("en", Intent.Pricing, Sentiment.Neutral, 0, 0.8);

        Assert.Equal(ModelTier.Small, LlmReplyGenerator.Route(Router, "acme", Reply(model, rules, "What does it cost?"), null).Tier);
        Assert.Equal(ModelTier.Rules, LlmReplyGenerator.Route(Router, "acme", Reply(model, new MessageAnalysis("en", Intent.Objection, Sentiment.Negative, -0.5, 0.8)), 0).Tier);
    }
}

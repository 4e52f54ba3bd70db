using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Memory;

namespace SalesFlow.Tests.Memory;

/// <summary>
/// Budget fitting with hand-counted tokens: every word below is a short lowercase word (one token each), ": " is one.
/// Key facts "name: ann" = 3, summary = 4, recall #1 = 4, recall #5 = 2, hot #10 = 3, #11 = 2, #12 = 1: 19 in all.
/// </summary>
public sealed class ContextBudgetTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private static readonly string[] KeyFacts = ["name: ann"];
    private const string Summary = "one two three four";
    private static readonly Recall[] Recalls = [new(MemoryKinds.Message, 5, "newer recall", true, At, 0.9f), new(MemoryKinds.Message, 1, "old recall words here", true, At, 0.5f)];

    private static readonly Message[] Hot = [Msg(10, "first hot message"), Msg(11, "second hot"), Msg(12, "newest")];

    private static Message Msg(long seq, string text) => new() { Id = "m" + seq, ClientId = "acme", LeadId = "l", ConversationId = "c", Seq = seq, Text = text, CreatedAt = At };

    private static ConversationContext Fit(int budget) => ContextBuilder.Fit(KeyFacts, Summary, Recalls, Hot, budget);

    [Fact]
    public void TheHandCountAgreesWithTheEstimator()
    {
        Assert.Equal((3, 4, 4, 2, 3), (TokenEstimator.Count("name: ann"), TokenEstimator.Count(Summary), TokenEstimator.Count("old recall words here"), TokenEstimator.Count("newer recall"), TokenEstimator.Count("first hot message")));
        Assert.Equal(19, Fit(100).Tokens);
    }

    [Fact]
    public void EverythingStaysWhenItFits()
    {
        var context = Fit(19);

        Assert.Equal((2, 3, Summary, 19, false), (context.Recalls.Count, context.Messages.Count, context.Summary, context.Tokens, context.OverBudget));
    }

    [Fact]
    public void TheOldestRecallGoesFirstEvenWhenItIsTheLessRelevant()
    {
        var context = Fit(15);

        Assert.Equal(5, Assert.Single(context.Recalls).Seq);
        Assert.Equal(3, context.Messages.Count);
        Assert.Equal(15, context.Tokens);
    }

    [Fact]
    public void AfterTheRecallsTheOldestHotMessagesGo()
    {
        var context = Fit(12);

        Assert.Empty(context.Recalls);
        Assert.Equal([11L, 12L], context.Messages.Select(m => m.Seq));
        Assert.Equal(Summary, context.Summary);
        Assert.Equal(10, context.Tokens);
    }

    [Fact]
    public void KeyFactsAndTheNewestMessageAlwaysStayAndTheSummaryGoesLast()
    {
        var tight = Fit(5);
        Assert.Equal((null, 12L, 4, false), (tight.Summary, Assert.Single(tight.Messages).Seq, tight.Tokens, tight.OverBudget));
        Assert.Equal(KeyFacts, tight.KeyFacts);

        var impossible = Fit(2);
        Assert.Equal((4, true), (impossible.Tokens, impossible.OverBudget));
        Assert.Single(impossible.Messages);
    }
}

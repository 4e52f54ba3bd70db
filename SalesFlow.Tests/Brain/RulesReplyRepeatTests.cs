using SalesFlow.Core.Brain;
using SalesFlow.Core.Brain.Rules;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Tests.Brain;

/// <summary>
/// The rules brain never sends the reply it sent last word for word again: replayed dialogues (ReplayedDialoguesTests)
/// showed different lead texts landing on the same template variants on consecutive turns, which reads as a loop.
/// </summary>
public sealed class RulesReplyRepeatTests
{
    private static ReplyRequest Request(Intent intent, ConversationState state, string text, int turn, string language = "en", ChannelKind channel = ChannelKind.WhatsApp, string? previousReply = null) =>
        new(state, state, new MessageAnalysis(language, intent, Sentiment.Neutral, 0, 0.6), null, channel, text, turn, "Acme")
        {
            History = previousReply is null ? null : [new HistoryMessage(true, "earlier", channel, DateTimeOffset.UnixEpoch), new HistoryMessage(false, previousReply, channel, DateTimeOffset.UnixEpoch)],
        };

    public static TheoryData<Intent, ConversationState, string, string> Turns() => new()
    {
        // The turn of SGD test dialogue 2_00022 that got the same reply as the turn before it.
        { Intent.Other, ConversationState.InterestQualification, "Not yet, I'll get them later.", "en" },
        { Intent.Other, ConversationState.ValueProposition, "No, that's all, thank you.", "en" },
        { Intent.Question, ConversationState.InterestQualification, "Where is the venue located?", "en" },
        { Intent.Pricing, ConversationState.PriceNegotiation, "How much is one ticket?", "en" },
        { Intent.Meeting, ConversationState.InterestQualification, "Can I book it for Friday?", "en" },
        { Intent.Other, ConversationState.InterestQualification, "Passt schon, danke.", "de" },
    };

    [Theory]
    [MemberData(nameof(Turns))]
    public void AReplyThatWouldRepeatTheLastReplyWordForWordIsVaried(Intent intent, ConversationState state, string text, string language)
    {
        for (var turn = 1; turn <= 6; turn++)
        {
            var alone = RulesReplyGenerator.Generate(Request(intent, state, text, turn, language));
            var afterTheSame = RulesReplyGenerator.Generate(Request(intent, state, text, turn, language, previousReply: alone));

            Assert.NotEqual(alone, afterTheSame);
            Assert.False(string.IsNullOrWhiteSpace(afterTheSame));
        }
    }

    [Fact]
    public void ARepeatBehindAnAiDisclosurePrefixIsAlsoVaried()
    {
        var alone = RulesReplyGenerator.Generate(Request(Intent.Other, ConversationState.InterestQualification, "ok then", 3));

        var afterTheSame = RulesReplyGenerator.Generate(Request(Intent.Other, ConversationState.InterestQualification, "ok then", 3, previousReply: "I am an AI assistant. " + alone));

        Assert.NotEqual(alone, afterTheSame);
    }

    [Fact]
    public void AReplyDifferentFromTheLastOneIsLeftAsTheTemplatesChoseIt()
    {
        var request = Request(Intent.Pricing, ConversationState.PriceNegotiation, "How much is one ticket?", 2);

        var after = RulesReplyGenerator.Generate(request with { History = [new HistoryMessage(false, "Something else entirely.", ChannelKind.WhatsApp, DateTimeOffset.UnixEpoch)] });

        Assert.Equal(RulesReplyGenerator.Generate(request), after);
    }
}

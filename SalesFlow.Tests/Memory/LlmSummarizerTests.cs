using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using SalesFlow.Core.Memory;

namespace SalesFlow.Tests.Memory;

public sealed class LlmSummarizerTests
{
    private static readonly SummaryInput Input = new(
        "[initial_contact] need: A CRM for 12 reps.",
        [new SummarizedMessage(4, true, "Is there a discount for annual billing?", "price_negotiation", DateTimeOffset.UnixEpoch)],
        null);

    [Fact]
    public async Task TheModelsSummaryIsUsedAndItSeesThePreviousSummaryAndTheStages()
    {
        var chat = new FakeChat(_ => "- Needs a CRM for 12 reps\n- Asked about an annual discount");

        var summary = await new LlmSummarizer(chat, new RulesSummarizer(), NullLogger<LlmSummarizer>.Instance).SummarizeAsync(Input, default);

        Assert.Equal("- Needs a CRM for 12 reps\n- Asked about an annual discount", summary);
        var prompt = chat.LastPrompt!;
        Assert.Contains("[initial_contact] need: A CRM for 12 reps.", prompt, StringComparison.Ordinal);
        Assert.Contains("[price_negotiation] Lead: Is there a discount for annual billing?", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingModelFallsBackToTheRulesSummary()
    {
        var chat = new FakeChat(_ => throw new HttpRequestException("model down"));

        var summary = await new LlmSummarizer(chat, new RulesSummarizer(), NullLogger<LlmSummarizer>.Instance).SummarizeAsync(Input, default);

        Assert.Equal(RulesSummarizer.Summarize(Input), summary);
    }

    private sealed class FakeChat(Func<IEnumerable<ChatMessage>, string> answer) : IChatClient
    {
        public string? LastPrompt { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            LastPrompt = string.Join('\n', list.Select(m => m.Text));
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(list))));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

using Microsoft.Extensions.AI;
using SalesFlow.Infrastructure.OpenAI;
using SalesFlow.Core.Ai;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Ai;

/// <summary>
/// The model client's resilience handler (Microsoft.Extensions.Http.Resilience) against the replay server, on a clock
/// the test moves: which answers are retried and how long the retry waits, read from the pending timer and the
/// request count, never from the wall clock.
/// </summary>
public sealed class ModelResilienceTests : IAsyncLifetime
{
    private const string Chat = "/chat/completions";
    private readonly SteppedClock _clock = new();
    private OpenAIReplayServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAIReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Dictionary<string, string> RetryAfter(string seconds) => new() { ["retry-after"] = seconds };

    [Theory]
    [InlineData("3", 3)]
    [InlineData("600", 10)] // longer waits are cut to ModelResilience.MaxRetryAfter: a lead is waiting
    public async Task A_429_is_retried_after_the_Retry_After_delay(string header, int expectedSeconds)
    {
        _server.Script(Chat, OpenAIReplayServer.Error(429, "Rate limit reached", "rate_limit_exceeded", RetryAfter(header)), OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json"));
        // An attempt timeout unlike either delay, so its timer is not taken for the retry's.
        using var connection = new OpenAIConnection(OpenAIChatClientAgainstReplayServerTests.OptionsFor(_server, o => o.Timeout = TimeSpan.FromSeconds(45)), time: _clock);

        var call = new OpenAIChatClient(connection, "gpt-4o-mini").GetResponseAsync([new ChatMessage(ChatRole.User, "Hello, world!")]);

        // The retry waits on a timer of the Retry-After length (jitter and the 5 ms base delay play no part).
        var delay = TimeSpan.FromSeconds(expectedSeconds);
        await Eventually.ReturnsAsync(() => Task.FromResult(_clock.Pending()), p => p.Contains(delay), because: "a retry timer of the Retry-After length");
        Assert.Equal(1, _server.Count(Chat));
        Assert.False(call.IsCompleted);

        _clock.Advance(delay);
        var response = await call;

        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal(2, _server.Count(Chat));
        Assert.Equal(Polly.CircuitBreaker.CircuitState.Closed, connection.CircuitState);
    }

    [Fact]
    public async Task A_400_is_answered_at_once_without_a_retry()
    {
        _server.Script(Chat, OpenAIReplayServer.Error(400, "Invalid 'messages'", "invalid_request_error"), OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json"));
        using var connection = new OpenAIConnection(OpenAIChatClientAgainstReplayServerTests.OptionsFor(_server, o => o.MaxRetries = 3), time: _clock);

        var error = await Assert.ThrowsAsync<AiException>(() => new OpenAIChatClient(connection, "gpt-4o-mini").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(AiFailure.BadRequest, error.Failure);
        Assert.Equal(1, _server.Count(Chat));
    }
}

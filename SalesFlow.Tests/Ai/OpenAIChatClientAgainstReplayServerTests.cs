using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;
using SalesFlow.Infrastructure.OpenAI;
using SalesFlow.Core.Ai;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Ai;

/// <summary>The OpenAI chat adapter against a real HTTP server replaying api.openai.com's recorded answers.</summary>
public sealed class OpenAIChatClientAgainstReplayServerTests : IAsyncLifetime
{
    private const string Chat = "/chat/completions";
    private OpenAIReplayServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAIReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    internal static AiOptions OptionsFor(OpenAIReplayServer server, Action<AiOptions>? configure = null)
    {
        var options = new AiOptions
        {
            Provider = AiProvider.OpenAI,
            Endpoint = server.BaseUrl.ToString(),
            ApiKey = "test-key",
            Timeout = TimeSpan.FromSeconds(10),
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        };
        configure?.Invoke(options);
        return options;
    }

    private static JsonObject ExpectedSse(string file) => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(OpenAIReplayServer.FixtureDir, "sse_expected.json")))![file]!;

    [Fact]
    public async Task Chat_sends_the_recorded_request_and_maps_text_usage_and_finish_reason()
    {
        _server.Script(Chat, OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json"));
        using var connection = new OpenAIConnection(OptionsFor(_server));
        var client = new OpenAIChatClient(connection, "gpt-4o-mini");

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hello, world!")]);

        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.ModelId);
        Assert.Equal("chatcmpl-D8dUjRkJNE7oAraZr6I7Jy8l3f2eU", response.ResponseId);
        Assert.Equal(11, response.Usage!.InputTokenCount);
        Assert.Equal(9, response.Usage.OutputTokenCount);
        Assert.Equal(20, response.Usage.TotalTokenCount);

        var sent = Assert.Single(_server.Received);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer test-key", sent.Headers["Authorization"]);
        Assert.True(ReplayJson.SameJson(OpenAIReplayServer.RecordedRequest("ChatTests_HelloWorldChat.json"), sent.Json), ReplayJson.Pretty(sent.Json));
    }

    [Fact]
    public async Task Streaming_reassembles_the_715_chunk_answer_exactly_and_reports_the_final_usage_chunk()
    {
        var expected = ExpectedSse("chat_stream_long_gpt-4o-mini.sse");
        _server.Script(Chat, OpenAIReplayServer.FromSse("chat_stream_long_gpt-4o-mini.sse"));
        using var connection = new OpenAIConnection(OptionsFor(_server));
        var client = new OpenAIChatClient(connection, "gpt-4o-mini");

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "What are the best pizza toppings? Give me a breakdown on the reasons.")]))
        {
            updates.Add(update);
        }

        var text = string.Concat(updates.Select(u => u.Text));
        Assert.Equal(expected["expected_content"]!.GetValue<string>(), text);
        Assert.True(updates.Count > 700, $"streamed in {updates.Count} updates");
        // The finish reason arrives with the finish chunk; the adapter repeats it on the usage chunk that follows.
        Assert.Equal([ChatFinishReason.Stop], updates.Where(u => u.FinishReason is not null).Select(u => u.FinishReason!.Value).Distinct());
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);

        // The last chunk has choices: [] and carries the usage.
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        var expectedUsage = expected["final_usage_chunk"]!;
        Assert.Equal(expectedUsage["prompt_tokens"]!.GetValue<long>(), usage.InputTokenCount);
        Assert.Equal(expectedUsage["completion_tokens"]!.GetValue<long>(), usage.OutputTokenCount);
        Assert.Equal(expectedUsage["total_tokens"]!.GetValue<long>(), usage.TotalTokenCount);
        Assert.Same(updates[^1], updates.Single(u => u.Contents.OfType<UsageContent>().Any()));

        var merged = updates.ToChatResponse();
        Assert.Equal(text, merged.Text);
        Assert.Equal(712, merged.Usage!.OutputTokenCount);

        var sent = Assert.Single(_server.Received);
        Assert.True(ReplayJson.SameJson(expected["request_body"], sent.Json), ReplayJson.Pretty(sent.Json));
    }

    [Fact]
    public async Task Streaming_refusal_reassembles_the_recorded_answer_with_its_usage()
    {
        var expected = ExpectedSse("chat_stream_refusal_gpt-4o.sse");
        _server.Script(Chat, OpenAIReplayServer.FromRecord("ChatTests_StreamingStructuredRefusalWorks.json"));
        using var connection = new OpenAIConnection(OptionsFor(_server));
        var client = new OpenAIChatClient(connection, "gpt-4o-2024-08-06");

        var response = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, expected["request_body"]!["messages"]![0]!["content"]!.GetValue<string>())]).ToChatResponseAsync();

        Assert.Equal(expected["expected_content"]!.GetValue<string>(), response.Text);
        Assert.Null(expected["expected_refusal"]);
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c is ErrorContent);
        Assert.Equal(26, response.Usage!.InputTokenCount);
        Assert.Equal(10, response.Usage.OutputTokenCount);
        Assert.True(ReplayJson.SameJson(expected["request_body"], Assert.Single(_server.Received).Json));
    }

    [Fact]
    public async Task A_refusal_field_becomes_an_error_content_with_the_refusal_code()
    {
        var body = JsonNode.Parse(OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json").Body)!;
        body["choices"]![0]!["message"]!["content"] = null;
        body["choices"]![0]!["message"]!["refusal"] = "I'm sorry, I cannot help with that.";
        _server.Script(Chat, ReplayResponse.Json(200, body.ToJsonString()));
        using var connection = new OpenAIConnection(OptionsFor(_server));

        var response = await new OpenAIChatClient(connection, "gpt-4o-mini").GetResponseAsync([new ChatMessage(ChatRole.User, "Hello, world!")]);

        var refusal = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>());
        Assert.Equal(OpenAIChatClient.RefusalErrorCode, refusal.ErrorCode);
        Assert.Equal("I'm sorry, I cannot help with that.", refusal.Message);
        Assert.Equal(string.Empty, response.Text);
    }

    [Fact]
    public async Task Parallel_tool_calls_map_to_function_calls_and_the_results_go_back_as_recorded()
    {
        const string record = "ChatToolTests_ParallelToolCalls.json";
        _server.Script(Chat, OpenAIReplayServer.FromRecord(record, 0), OpenAIReplayServer.FromRecord(record, 1));
        using var connection = new OpenAIConnection(OptionsFor(_server));
        var client = new OpenAIChatClient(connection, "gpt-4o-mini");
        var recordedTool = OpenAIReplayServer.RecordedRequest(record)["tools"]![0]!["function"]!;
        var tool = AIFunctionFactory.CreateDeclaration(
            recordedTool["name"]!.GetValue<string>(),
            recordedTool["description"]!.GetValue<string>(),
            System.Text.Json.JsonSerializer.SerializeToElement(recordedTool["parameters"]));
        var options = new ChatOptions { Tools = [tool] };
        List<ChatMessage> history = [new(ChatRole.User, "Tell me what's the current weather in the following cities: Santiago and Karachi.")];

        var first = await client.GetResponseAsync(history, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var calls = first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_SKQEHo7QVlJRoCtEzcrYZM9C", "call_CkjljlLr7IebPc4hnvetfiZ8"], calls.Select(c => c.CallId));
        Assert.All(calls, c => Assert.Equal("get_weather_for_city", c.Name));
        Assert.Equal(["Santiago", "Karachi"], calls.Select(c => c.Arguments!["city_name"]!.ToString()));
        Assert.Equal(81, first.Usage!.InputTokenCount);
        Assert.Equal(52, first.Usage.OutputTokenCount);

        history.AddMessages(first);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(calls[0].CallId, "rainy"), new FunctionResultContent(calls[1].CallId, "sunny")]));
        var second = await client.GetResponseAsync(history, options);

        Assert.Equal("The current weather is as follows:\n- Santiago: Rainy\n- Karachi: Sunny", second.Text);
        var sent = _server.Received.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.True(ReplayJson.SameJson(AsTheAdapterSendsTools(OpenAIReplayServer.RecordedRequest(record, 0)), WithParsedArguments(sent[0].Json!)), ReplayJson.Pretty(sent[0].Json));
        Assert.True(ReplayJson.SameJson(AsTheAdapterSendsTools(OpenAIReplayServer.RecordedRequest(record, 1)), WithParsedArguments(sent[1].Json!)), ReplayJson.Pretty(sent[1].Json));
    }

    /// <summary>
    /// The recorded request as Microsoft.Extensions.AI.OpenAI words it: the same call, with the API's defaults said
    /// out loud (tool_choice "auto", a closed parameters object) and the tool-call arguments re-serialised from the
    /// parsed call (so compared as JSON, not as text). All of it is the real wire format.
    /// </summary>
    private static JsonNode AsTheAdapterSendsTools(JsonNode recorded)
    {
        var request = WithParsedArguments(recorded);
        request["tool_choice"] = "auto";
        foreach (var tool in request["tools"]!.AsArray())
        {
            tool!["function"]!["parameters"]!["additionalProperties"] = false;
        }

        return request;
    }

    private static JsonNode WithParsedArguments(JsonNode request)
    {
        var copy = request.DeepClone();
        foreach (var message in copy["messages"]!.AsArray())
        {
            foreach (var call in message!["tool_calls"]?.AsArray() ?? [])
            {
                var function = call!["function"]!;
                function["arguments"] = JsonNode.Parse(function["arguments"]!.GetValue<string>());
            }
        }

        return copy;
    }

    [Fact]
    public async Task A_401_is_a_clear_unauthorized_error_and_is_not_retried()
    {
        _server.Script(Chat, OpenAIReplayServer.FromRecord("ChatTests_AuthFailure.json"));
        using var connection = new OpenAIConnection(OptionsFor(_server));
        var client = new OpenAIChatClient(connection, "gpt-4o-mini");

        var error = await Assert.ThrowsAsync<AiException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Uh oh, this isn't going to work with that key")]));

        Assert.Equal(AiFailure.Unauthorized, error.Failure);
        Assert.Equal(401, error.Status);
        Assert.False(error.IsTransient);
        Assert.Contains("HTTP 401", error.Message);
        Assert.Contains("Incorrect API key provided", error.Message);
        Assert.Contains("invalid_api_key", error.Message);
        Assert.Contains("AI:ApiKey", error.Message);
        Assert.Equal(1, _server.Count(Chat));
        Assert.True(ReplayJson.SameJson(OpenAIReplayServer.RecordedRequest("ChatTests_AuthFailure.json"), _server.Received.Single().Json));
    }

    [Fact]
    public async Task A_wrong_key_opens_the_breaker_so_later_calls_fail_fast_without_a_request()
    {
        _server.Script(Chat, OpenAIReplayServer.FromRecord("ChatTests_AuthFailure.json"));
        using var connection = new OpenAIConnection(OptionsFor(_server, o => o.CircuitBreakerMinimumThroughput = 3));
        var client = new OpenAIChatClient(connection, "gpt-4o-mini");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AiFailure.Unauthorized, (await Assert.ThrowsAsync<AiException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]))).Failure);
        }

        var open = await Assert.ThrowsAsync<AiException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));
        Assert.Equal(AiFailure.CircuitOpen, open.Failure);
        Assert.Contains("circuit breaker is open", open.Message);
        Assert.Equal(CircuitState.Open, connection.CircuitState);
        Assert.Equal(3, _server.Count(Chat));
    }

    [Fact]
    public async Task Retries_on_500_and_429_then_succeeds()
    {
        _server.Script(
            Chat,
            OpenAIReplayServer.Error(500),
            OpenAIReplayServer.Error(429, "Rate limit reached", "rate_limit_exceeded", new Dictionary<string, string> { ["retry-after"] = "0" }),
            OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json"));
        using var connection = new OpenAIConnection(OptionsFor(_server));

        var response = await new OpenAIChatClient(connection, "gpt-4o-mini").GetResponseAsync([new ChatMessage(ChatRole.User, "Hello, world!")]);

        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal(3, _server.Count(Chat));
        // Every attempt carried the whole body.
        Assert.All(_server.Received, r => Assert.True(ReplayJson.SameJson(OpenAIReplayServer.RecordedRequest("ChatTests_HelloWorldChat.json"), r.Json)));
    }

    [Fact]
    public async Task Gives_up_after_the_configured_retries_with_a_server_error()
    {
        _server.Script(Chat, OpenAIReplayServer.Error(503));
        using var connection = new OpenAIConnection(OptionsFor(_server, o => o.MaxRetries = 2));

        var error = await Assert.ThrowsAsync<AiException>(() => new OpenAIChatClient(connection, "gpt-4o-mini").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(AiFailure.ServerError, error.Failure);
        Assert.True(error.IsTransient);
        Assert.Equal(3, _server.Count(Chat));
    }

    [Fact]
    public async Task The_breaker_opens_after_N_failed_calls_and_rejects_without_calling()
    {
        _server.Script(Chat, OpenAIReplayServer.Error(500));
        using var connection = new OpenAIConnection(OptionsFor(_server, o =>
        {
            o.MaxRetries = 0;
            o.CircuitBreakerMinimumThroughput = 4;
        }));
        var client = new OpenAIChatClient(connection, "gpt-4o-mini");

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(AiFailure.ServerError, (await Assert.ThrowsAsync<AiException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]))).Failure);
        }

        Assert.Equal(AiFailure.CircuitOpen, (await Assert.ThrowsAsync<AiException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]))).Failure);
        Assert.Equal(4, _server.Count(Chat));
    }

    [Fact]
    public async Task A_slow_answer_times_out_per_attempt()
    {
        _server.Script(Chat, OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json") with { Delay = TimeSpan.FromSeconds(5) });
        using var connection = new OpenAIConnection(OptionsFor(_server, o =>
        {
            o.MaxRetries = 1;
            o.Timeout = TimeSpan.FromMilliseconds(200);
        }));

        var error = await Assert.ThrowsAsync<AiException>(() => new OpenAIChatClient(connection, "gpt-4o-mini").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal(AiFailure.Timeout, error.Failure);
        Assert.Equal(2, _server.Count(Chat));
    }

    [Fact]
    public async Task Maps_system_prompt_json_schema_format_and_max_output_tokens()
    {
        _server.Script(Chat, OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json"));
        using var connection = new OpenAIConnection(OptionsFor(_server));
        var schema = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"intent":{"type":"string"}},"required":["intent"],"additionalProperties":false}""").RootElement;

        await new OpenAIChatClient(connection, "gpt-4o").GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Hello")],
            new ChatOptions { ModelId = "gpt-4o-mini", MaxOutputTokens = 120, Temperature = 0.2f, ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "lead_insights", "What the lead said") });

        var sent = _server.Received.Single().Json!;
        Assert.Equal("gpt-4o-mini", sent["model"]!.GetValue<string>());
        Assert.Equal("system", sent["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal(120, sent["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(0.2, sent["temperature"]!.GetValue<double>(), 3);
        Assert.Equal("json_schema", sent["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("lead_insights", sent["response_format"]!["json_schema"]!["name"]!.GetValue<string>());
        Assert.True(sent["response_format"]!["json_schema"]!["strict"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(schema.GetRawText()), sent["response_format"]!["json_schema"]!["schema"]));
    }

    [Theory]
    [InlineData("gpt-5-mini")]
    [InlineData("gpt-6-luna")]
    [InlineData("o4-mini")]
    public async Task Reasoning_models_get_no_temperature_which_they_would_refuse(string model)
    {
        _server.Script(Chat, OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json"));
        using var connection = new OpenAIConnection(OptionsFor(_server));

        await new OpenAIChatClient(connection, model).GetResponseAsync([new ChatMessage(ChatRole.User, "Hello")], new ChatOptions { MaxOutputTokens = 50, Temperature = 0.6f });

        var sent = _server.Received.Single().Json!;
        Assert.Equal(model, sent["model"]!.GetValue<string>());
        Assert.Null(sent["temperature"]);
        Assert.Equal(50, sent["max_completion_tokens"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("gpt-4o", false)]
    [InlineData("gpt-4o-mini-2024-07-18", false)]
    [InlineData("gpt-4.1-mini", false)]
    [InlineData("gpt-35-turbo", false)]
    [InlineData("gpt-5", true)]
    [InlineData("GPT-5.1", true)]
    [InlineData("gpt-6-luna", true)]
    [InlineData("o1", true)]
    [InlineData("o3-mini", true)]
    [InlineData("omni-moderation", false)]
    [InlineData("my-chat-deployment", false)]
    public void Reasoning_models_are_told_by_their_name(string model, bool reasoning) =>
        Assert.Equal(reasoning, OpenAIChatClient.IsReasoningModel(model));

    [Fact]
    public async Task Azure_sends_to_the_deployment_with_the_api_version_and_the_api_key()
    {
        _server.Script(Chat, OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json"));
        var root = new Uri(_server.BaseUrl, "/").ToString();
        using var connection = new OpenAIConnection(OptionsFor(_server, o =>
        {
            o.Provider = AiProvider.AzureOpenAI;
            o.Endpoint = root;
            o.ApiKey = "azure-key";
        }));

        Assert.IsType<Azure.AI.OpenAI.AzureOpenAIClient>(connection.Client);
        Assert.Equal(new Uri(root), connection.Endpoint);
        var response = await new OpenAIChatClient(connection, "my-gpt-4o-mini-deployment").GetResponseAsync([new ChatMessage(ChatRole.User, "Hello, world!")]);

        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal(20, response.Usage!.TotalTokenCount);
        var sent = _server.Received.Single();
        Assert.Equal("/openai/deployments/my-gpt-4o-mini-deployment/chat/completions", sent.Path);
        Assert.Equal("?api-version=2024-10-21", sent.Query);
        Assert.Equal("azure-key", sent.Headers["api-key"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Azure_streams_from_the_routed_deployment_and_asks_for_the_final_usage_chunk()
    {
        _server.Script(Chat, OpenAIReplayServer.StreamOf(["Hi", " there", "!"], promptTokens: 12, completionTokens: 3));
        using var connection = new OpenAIConnection(OptionsFor(_server, o =>
        {
            o.Provider = AiProvider.AzureOpenAI;
            o.Endpoint = new Uri(_server.BaseUrl, "/").ToString();
            o.ApiKey = "azure-key";
        }));
        var client = new OpenAIChatClient(connection, "chat-large");

        // The model router picks the model per call; on Azure that is the deployment in the URL.
        var response = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hello")], new ChatOptions { ModelId = "chat-small" }).ToChatResponseAsync();

        Assert.Equal("Hi there!", response.Text);
        Assert.Equal(12, response.Usage!.InputTokenCount);
        Assert.Equal(3, response.Usage.OutputTokenCount);
        var sent = _server.Received.Single();
        Assert.Equal("/openai/deployments/chat-small/chat/completions", sent.Path);
        Assert.True(sent.Json!["stream"]!.GetValue<bool>());
        Assert.True(sent.Json["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Azure_without_a_key_sends_an_entra_token_for_cognitive_services()
    {
        // The SDK sends bearer tokens over TLS only, so this one runs against an https replay server.
        await using var tls = await OpenAIReplayServer.StartAsync(https: true);
        tls.Script(Chat, OpenAIReplayServer.FromRecord("ChatTests_HelloWorldChat.json"));
        var credential = new FakeCredential();
        using var connection = new OpenAIConnection(
            OptionsFor(tls, o =>
            {
                o.Provider = AiProvider.AzureOpenAI;
                o.Endpoint = new Uri(tls.BaseUrl, "/").ToString();
                o.ApiKey = null;
            }),
            innerHandler: OpenAIReplayServer.TrustingHandler(),
            credential: credential);

        await new OpenAIChatClient(connection, "gpt-4o-mini").GetResponseAsync([new ChatMessage(ChatRole.User, "Hello, world!")]);

        Assert.Equal("entra", connection.Authentication);
        var sent = tls.Received.Single();
        Assert.Equal("/openai/deployments/gpt-4o-mini/chat/completions", sent.Path);
        Assert.Equal("Bearer entra-token", sent.Headers["Authorization"]);
        Assert.False(sent.Headers.ContainsKey("api-key"));
        Assert.Equal([OpenAIConnection.AzureScope], credential.Scopes);
    }

    private sealed class FakeCredential : TokenCredential
    {
        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes = requestContext.Scopes;
            return new AccessToken("entra-token", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}

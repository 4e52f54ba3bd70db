using System.Text.Json.Nodes;
using SalesFlow.Core.Common;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Ai;

/// <summary>The estimator against the usage figures of every recorded exchange that has them: within 10 %.</summary>
public sealed class TokenEstimatorTests
{
    private const double Tolerance = 0.10;

    public static TheoryData<string, int> ChatExchanges() => new()
    {
        { "ChatTests_HelloWorldChat.json", 0 },
        { "ChatToolTests_ParallelToolCalls.json", 0 },
        { "ChatToolTests_ParallelToolCalls.json", 1 },
        { "ChatToolTests_FunctionsWork.json", 0 },
        { "ChatToolTests_FunctionsWork.json", 1 },
    };

    [Theory]
    [MemberData(nameof(ChatExchanges))]
    public void Chat_prompt_and_completion_are_within_ten_percent(string file, int entry)
    {
        var record = OpenAIReplayServer.LoadRecord(file)["Entries"]![entry]!;
        var request = record["RequestBody"]!;
        var usage = record["ResponseBody"]!["usage"]!;
        var message = record["ResponseBody"]!["choices"]![0]!["message"]!;

        var prompt = TokenEstimator.CountPrompt(Messages(request), Tools(request));
        var completion = TokenEstimator.CountCompletion(message["content"]?.GetValue<string>(), ToolCalls(message));

        AssertWithin(usage["prompt_tokens"]!.GetValue<int>(), prompt, $"{file}#{entry} prompt");
        AssertWithin(usage["completion_tokens"]!.GetValue<int>(), completion, $"{file}#{entry} completion");
    }

    [Theory]
    [InlineData("chat_stream_long_gpt-4o-mini.sse")]
    [InlineData("chat_stream_refusal_gpt-4o.sse")]
    public void Streamed_prompt_and_completion_are_within_ten_percent(string file)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(OpenAIReplayServer.FixtureDir, "sse_expected.json")))![file]!;
        var usage = expected["final_usage_chunk"]!;

        AssertWithin(usage["prompt_tokens"]!.GetValue<int>(), TokenEstimator.CountPrompt(Messages(expected["request_body"]!)), file + " prompt");
        AssertWithin(usage["completion_tokens"]!.GetValue<int>(), TokenEstimator.CountCompletion(expected["expected_content"]!.GetValue<string>()), file + " completion");
    }

    [Theory]
    [InlineData("EmbeddingsTests_GenerateSingleEmbedding.json")]
    [InlineData("EmbeddingsTests_GenerateMultipleEmbeddings(UsingStrings).json")]
    public void Embedding_inputs_are_within_ten_percent(string file)
    {
        var record = OpenAIReplayServer.LoadRecord(file)["Entries"]![0]!;
        var input = record["RequestBody"]!["input"]!;
        var texts = input is JsonArray many ? many.Select(i => i!.GetValue<string>()) : [input.GetValue<string>()];

        AssertWithin(record["ResponseBody"]!["usage"]!["prompt_tokens"]!.GetValue<int>(), texts.Sum(TokenEstimator.Count), file);
    }

    [Fact]
    public void Counts_common_shapes_like_the_o200k_tokenizer()
    {
        Assert.Equal(4, TokenEstimator.Count("Hello, world!"));
        Assert.Equal(5, TokenEstimator.Count("This is a test."));
        Assert.Equal(10, TokenEstimator.Count("I'm sorry, I can't assist with that request."));
        Assert.Equal(0, TokenEstimator.Count(""));
        Assert.Equal(11, TokenEstimator.CountPrompt([new EstimatedMessage("user", "Hello, world!")]));
        Assert.InRange(TokenEstimator.Count("Guten Tag, ich interessiere mich für Ihr Angebot und hätte gern einen Preis."), 14, 22);
    }

    private static void AssertWithin(int actual, int estimate, string what)
    {
        var error = Math.Abs(estimate - actual) / (double)actual;
        Assert.True(error <= Tolerance, $"{what}: estimated {estimate}, billed {actual} ({error:P1} off)");
    }

    private static IEnumerable<EstimatedMessage> Messages(JsonNode request) =>
        request["messages"]!.AsArray().Select(m => new EstimatedMessage(
            m!["role"]!.GetValue<string>(),
            m["content"]?.GetValue<string>(),
            m["name"]?.GetValue<string>(),
            ToolCalls(m)));

    private static List<EstimatedToolCall> ToolCalls(JsonNode message)
    {
        var calls = (message["tool_calls"] as JsonArray ?? [])
            .Select(c => new EstimatedToolCall(c!["function"]!["name"]!.GetValue<string>(), c["function"]!["arguments"]!.GetValue<string>()))
            .ToList();
        if (message["function_call"] is JsonObject legacy)
        {
            calls.Add(new EstimatedToolCall(legacy["name"]!.GetValue<string>(), legacy["arguments"]!.GetValue<string>(), Legacy: true));
        }

        return calls;
    }

    private static List<EstimatedTool> Tools(JsonNode request)
    {
        var functions = (request["tools"] as JsonArray ?? []).Select(t => t!["function"]!).Concat(request["functions"] as JsonArray ?? []);
        return functions.Select(f => new EstimatedTool(
            f!["name"]!.GetValue<string>(),
            f["description"]?.GetValue<string>(),
            (f["parameters"]?["properties"] as JsonObject ?? [])
                .Select(p => new EstimatedToolParameter(p.Key, p.Value!["type"]!.GetValue<string>(), p.Value["description"]?.GetValue<string>()))
                .ToList())).ToList();
    }
}

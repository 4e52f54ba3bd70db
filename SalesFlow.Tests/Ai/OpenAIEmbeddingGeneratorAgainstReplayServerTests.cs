using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using SalesFlow.Infrastructure.OpenAI;
using SalesFlow.Core.Ai;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Ai;

public sealed class OpenAIEmbeddingGeneratorAgainstReplayServerTests : IAsyncLifetime
{
    private const string Embeddings = "/embeddings";
    private OpenAIReplayServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAIReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>The recorded vectors decoded independently: base64 of little-endian float32.</summary>
    private static float[][] RecordedVectors(string file) =>
        OpenAIReplayServer.LoadRecord(file)["Entries"]![0]!["ResponseBody"]!["data"]!.AsArray()
            .OrderBy(d => d!["index"]!.GetValue<int>())
            .Select(d => MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(d!["embedding"]!.GetValue<string>())).ToArray())
            .ToArray();

    [Fact]
    public async Task Decodes_the_base64_float32_vector_exactly()
    {
        const string record = "EmbeddingsTests_GenerateSingleEmbedding.json";
        _server.Script(Embeddings, OpenAIReplayServer.FromRecord(record));
        using var connection = new OpenAIConnection(OpenAIChatClientAgainstReplayServerTests.OptionsFor(_server));
        var generator = new OpenAIEmbeddingGenerator(connection);

        var result = await generator.GenerateAsync(["Hello, world!"]);

        var expected = RecordedVectors(record).Single();
        Assert.Equal(1536, expected.Length);
        Assert.Equal(expected, Assert.Single(result).Vector.ToArray());
        Assert.Equal(4, result.Usage!.InputTokenCount);
        var sent = _server.Received.Single().Json!;
        Assert.Equal("text-embedding-3-small", sent["model"]!.GetValue<string>());
        Assert.Equal("base64", sent["encoding_format"]!.GetValue<string>());
    }

    [Fact]
    public async Task Several_inputs_with_dimensions_send_the_recorded_request_and_keep_the_order()
    {
        const string record = "EmbeddingsTests_GenerateMultipleEmbeddings(UsingStrings).json";
        _server.Script(Embeddings, OpenAIReplayServer.FromRecord(record));
        using var connection = new OpenAIConnection(OpenAIChatClientAgainstReplayServerTests.OptionsFor(_server));

        var result = await new OpenAIEmbeddingGenerator(connection).GenerateAsync(["Hello, world!", "This is a test.", "Goodbye!"], new EmbeddingGenerationOptions { Dimensions = 456 });

        var expected = RecordedVectors(record);
        Assert.Equal(3, result.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(456, result[i].Vector.Length);
            Assert.Equal(expected[i], result[i].Vector.ToArray());
        }

        Assert.Equal(12, result.Usage!.InputTokenCount);
        Assert.True(ReplayJson.SameJson(OpenAIReplayServer.RecordedRequest(record), _server.Received.Single().Json), ReplayJson.Pretty(_server.Received.Single().Json));
    }

    [Fact]
    public async Task Azure_sends_to_the_embedding_deployment_and_decodes_the_recorded_vector()
    {
        const string record = "EmbeddingsTests_GenerateSingleEmbedding.json";
        _server.Script(Embeddings, OpenAIReplayServer.FromRecord(record));
        using var connection = new OpenAIConnection(OpenAIChatClientAgainstReplayServerTests.OptionsFor(_server, o =>
        {
            o.Provider = AiProvider.AzureOpenAI;
            o.Endpoint = new Uri(_server.BaseUrl, "/").ToString();
            o.ApiKey = "azure-key";
        }));

        var result = await new OpenAIEmbeddingGenerator(connection).GenerateAsync(["Hello, world!"]);

        Assert.Equal(RecordedVectors(record).Single(), Assert.Single(result).Vector.ToArray());
        var sent = _server.Received.Single();
        Assert.Equal("/openai/deployments/text-embedding-3-small/embeddings", sent.Path);
        Assert.Equal("?api-version=2024-10-21", sent.Query);
        Assert.Equal("azure-key", sent.Headers["api-key"]);
    }

    [Fact]
    public async Task Bad_options_are_a_clear_bad_request_that_is_not_retried()
    {
        const string record = "EmbeddingsTests_BadOptions.json";
        _server.Script(Embeddings, OpenAIReplayServer.FromRecord(record));
        using var connection = new OpenAIConnection(OpenAIChatClientAgainstReplayServerTests.OptionsFor(_server, o => o.MaxRetries = 3));

        var error = await Assert.ThrowsAsync<AiException>(() => new OpenAIEmbeddingGenerator(connection).GenerateAsync(
            ["foo"],
            // Microsoft.Extensions.AI refuses -42 itself; the SDK options pass it through as the recorded test did.
            new EmbeddingGenerationOptions { RawRepresentationFactory = _ => new OpenAI.Embeddings.EmbeddingGenerationOptions { Dimensions = -42 } }));

        Assert.Equal(AiFailure.BadRequest, error.Failure);
        Assert.Equal(400, error.Status);
        Assert.Contains("-42 is less than the minimum of 1 - 'dimensions'", error.Message);
        Assert.Contains("embeddings (text-embedding-3-small)", error.Message);
        Assert.Equal(1, _server.Count(Embeddings));
        var sent = _server.Received.Single().Json!;
        Assert.Equal(-42, sent["dimensions"]!.GetValue<int>());
        Assert.Equal("array", JsonValueKind(sent["input"]));
    }

    private static string JsonValueKind(JsonNode? node) => node switch
    {
        JsonArray => "array",
        JsonObject => "object",
        _ => "value",
    };
}

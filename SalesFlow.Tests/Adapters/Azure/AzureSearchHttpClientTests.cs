using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using SalesFlow.Infrastructure.Azure.Search;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>The AI Search adapter over the app's registered HttpClient (with its resilience handler) against the in-test stand-in.</summary>
public sealed class AzureSearchHttpClientTests : IAsyncLifetime
{
    private AzureSearchStandIn _server = null!;
    private ServiceProvider _services = null!;
    private AzureSearchKnowledgeIndex _index = null!;

    public async Task InitializeAsync()
    {
        _server = await AzureSearchStandIn.StartAsync();
        var services = new ServiceCollection();
        // No backoff wait in the test; which failures are retried is the handler's own choice.
        services.AddAzureSearchHttpClient().Configure(o => o.Retry.Delay = TimeSpan.Zero);
        _services = services.BuildServiceProvider();
        _index = new AzureSearchKnowledgeIndex(
            _services.GetRequiredService<IHttpClientFactory>().CreateClient(AzureSearchHttpClient.Name),
            new AzureSearchOptions { Endpoint = _server.Endpoint, IndexName = "knowledge-test" },
            new AzureSearchKnowledgeIndexAgainstStandInTests.StaticToken("entra-token"));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_503_from_the_service_is_retried_and_the_write_goes_through()
    {
        _server.FailNext.Enqueue(503);
        _server.FailNext.Enqueue(503);

        await _index.ReplaceSourceAsync(new ChunkSource("client-a", "kb-1", "doc-1", SourceKind.Document, "Price list"), [new IndexedChunk(0, "Starter costs 49 EUR", 5, new HashedEmbedder(16).Embed("Starter costs 49 EUR"))], default);

        var requests = _server.Requests.Select(r => (r.Method, r.Path)).ToList();
        // The index lookup failed twice and was asked again; then the adapter went on as usual.
        Assert.Equal([("GET", "/indexes('knowledge-test')"), ("GET", "/indexes('knowledge-test')"), ("GET", "/indexes('knowledge-test')"), ("PUT", "/indexes('knowledge-test')")], requests.Take(4));
        Assert.Single(_server.Documents);
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        _server.FailNext.Enqueue(400);

        await Assert.ThrowsAsync<HttpRequestException>(() => _index.SearchAsync(new IndexQuery("client-a", ["kb-1"], "price", new HashedEmbedder(16).Embed("price"), 3, SearchMode.Hybrid), default));

        Assert.Single(_server.Requests);
    }
}

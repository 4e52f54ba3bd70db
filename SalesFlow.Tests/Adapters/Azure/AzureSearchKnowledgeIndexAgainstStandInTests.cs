using System.Text.Json.Nodes;
using Azure.Core;
using SalesFlow.Infrastructure.Azure.Search;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>The AI Search adapter over real HTTP against an in-test server that answers with the REST spec's examples.</summary>
public sealed class AzureSearchKnowledgeIndexAgainstStandInTests : IAsyncLifetime
{
    private AzureSearchStandIn _server = null!;
    private HttpClient _http = null!;
    private AzureSearchKnowledgeIndex _index = null!;
    private readonly HashedEmbedder _embedder = new(16);

    public async Task InitializeAsync()
    {
        _server = await AzureSearchStandIn.StartAsync();
        _http = new HttpClient();
        _index = new AzureSearchKnowledgeIndex(_http, new AzureSearchOptions { Endpoint = _server.Endpoint, IndexName = "knowledge-test" }, new StaticToken("entra-token"));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private IndexedChunk Chunk(int ordinal, string text) => new(ordinal, text, 5, _embedder.Embed(text));

    private static ChunkSource Source(string client = "client-a", string kb = "kb-1", string id = "doc-1") => new(client, kb, id, SourceKind.Document, "Price list");

    [Fact]
    public async Task TheIndexIsCreatedIfMissingWithHnswVectorsAndFilterableTenantFields()
    {
        await _index.ReplaceSourceAsync(Source(), [Chunk(0, "Starter costs 49 EUR"), Chunk(1, "Pro costs 99 EUR")], default);

        var requests = _server.Requests.ToList();
        Assert.Equal(("GET", "/indexes('knowledge-test')"), (requests[0].Method, requests[0].Path));
        Assert.Equal(("PUT", "/indexes('knowledge-test')"), (requests[1].Method, requests[1].Path));
        Assert.All(requests, r => Assert.Equal("Bearer entra-token", r.Authorization));
        Assert.All(requests, r => Assert.Contains("api-version=2024-07-01", r.Query, StringComparison.Ordinal));

        var fields = _server.IndexDefinition!["fields"]!.AsArray().Select(f => f!.AsObject()).ToDictionary(f => (string)f["name"]!);
        Assert.True((bool)fields["id"]["key"]!);
        Assert.True((bool)fields["clientId"]["filterable"]! && (bool)fields["knowledgeBaseId"]["filterable"]!);
        Assert.True((bool)fields["content"]["searchable"]!);
        // Left to the service's defaults, string fields would be sortable and facetable: 32,766 bytes per value at most.
        Assert.All(fields.Values.Where(f => (string)f["type"]! == "Edm.String"), f => Assert.False((bool)f["sortable"]! || (bool)f["facetable"]!));
        Assert.Equal(("Collection(Edm.Single)", 16, "knowledge-hnsw"), ((string)fields["contentVector"]["type"]!, (int)fields["contentVector"]["dimensions"]!, (string)fields["contentVector"]["vectorSearchProfile"]!));
        var algorithm = _server.IndexDefinition["vectorSearch"]!["algorithms"]![0]!;
        Assert.Equal(("hnsw", "cosine"), ((string)algorithm["kind"]!, (string)algorithm["hnswParameters"]!["metric"]!));

        Assert.Equal(2, _server.Documents.Count);
        Assert.All(_server.Documents.Values, d => Assert.Equal(("client-a", "kb-1", "doc-1", 16), ((string)d["clientId"]!, (string)d["knowledgeBaseId"]!, (string)d["sourceId"]!, d["contentVector"]!.AsArray().Count)));

        // Created once: the next write does not ask again.
        var before = _server.Requests.Count;
        await _index.ReplaceSourceAsync(Source(id: "doc-2"), [Chunk(0, "Hours: 9 to 5")], default);
        Assert.DoesNotContain(_server.Requests.Skip(before), r => r.Method is "GET" or "PUT");
    }

    [Fact]
    public async Task ReplacingASourceRemovesTheChunksItNoLongerHasAndLeavesOthers()
    {
        await _index.ReplaceSourceAsync(Source(), [Chunk(0, "a"), Chunk(1, "b"), Chunk(2, "c")], default);
        await _index.ReplaceSourceAsync(Source(client: "client-b"), [Chunk(0, "other tenant, same ids")], default);
        await _index.ReplaceSourceAsync(Source(), [Chunk(0, "only one now")], default);

        var mine = _server.Documents.Values.Where(d => (string)d["clientId"]! == "client-a").ToList();
        Assert.Equal("only one now", (string)Assert.Single(mine)["content"]!);
        Assert.Single(_server.Documents.Values, d => (string)d["clientId"]! == "client-b");

        await _index.DeleteBaseAsync("client-a", "kb-1", default);
        Assert.DoesNotContain(_server.Documents.Values, d => (string)d["clientId"]! == "client-a");
        Assert.Single(_server.Documents.Values);
    }

    [Fact]
    public async Task AHybridQuerySpeaksTheSpecsShapeAndReadsItsAnswer()
    {
        await _index.ReplaceSourceAsync(Source(), [Chunk(0, "x")], default);
        _server.Intruders.Add(new JsonObject { ["@search.score"] = 9.0, ["clientId"] = "client-b", ["sourceId"] = "not-yours", ["content"] = "secret" });

        var hits = await _index.SearchAsync(new IndexQuery("client-a", ["kb-1", "kb-o'brien"], "nice hotels", _embedder.Embed("nice hotels"), 5, SearchMode.Hybrid), default);

        // The request uses only properties of the spec's searchRequest example, with the same JSON kinds.
        var example = AzureSearchStandIn.Example("SearchIndexSearchDocumentsPost.2024-07-01.json")["parameters"]!["searchRequest"]!.AsObject();
        var sent = _server.Requests.Last(r => r.Path.EndsWith("search.post.search", StringComparison.Ordinal)).Body!.AsObject();
        Assert.All(sent, p => Assert.True(example.ContainsKey(p.Key) && example[p.Key]!.GetValueKind() == p.Value!.GetValueKind(), $"'{p.Key}' is not in the spec example as {p.Value!.GetValueKind()}"));
        var vectorQuery = sent["vectorQueries"]![0]!.AsObject();
        var exampleVectorQuery = example["vectorQueries"]![0]!.AsObject();
        Assert.All(vectorQuery, p => Assert.True(exampleVectorQuery.ContainsKey(p.Key), $"vectorQueries[0].{p.Key} is not in the spec example"));
        Assert.Equal(("vector", "contentVector", 16), ((string)vectorQuery["kind"]!, (string)vectorQuery["fields"]!, vectorQuery["vector"]!.AsArray().Count));
        Assert.Equal("clientId eq 'client-a' and (knowledgeBaseId eq 'kb-1' or knowledgeBaseId eq 'kb-o''brien')", (string)sent["filter"]!);
        Assert.Equal("nice hotels", (string)sent["search"]!);

        // The spec's answer (highlights, facets, nextLink and all) becomes two hits; the other tenant's document is dropped.
        Assert.Equal(["1", "2"], hits.Select(h => h.Source.SourceId).ToArray());
        Assert.Equal("Cheapest hotel in town", hits[0].Text);
        Assert.All(hits, h => Assert.Equal("client-a", h.Source.ClientId));
        Assert.True(hits[0].Score >= hits[1].Score);
        Assert.All(hits, h => Assert.InRange(h.Score, 0, 1));
    }

    [Fact]
    public async Task TheSemanticExampleAnswerIsReadToo()
    {
        await _index.ReplaceSourceAsync(Source(), [Chunk(0, "x")], default);
        _server.Fixture = "SearchIndexSearchDocumentsSemanticPost.2024-07-01.json";
        var hits = await _index.SearchAsync(new IndexQuery("client-a", null, "how do clouds form", ReadOnlyMemory<float>.Empty, 3, SearchMode.Keyword), default);
        var hit = Assert.Single(hits);
        Assert.Equal("4123", hit.Source.SourceId);
        Assert.StartsWith("Fog is essentially a cloud", hit.Text, StringComparison.Ordinal);
        Assert.Null(_server.Requests.Last().Body!["vectorQueries"]);
        Assert.Equal("clientId eq 'client-a'", (string)_server.Requests.Last().Body!["filter"]!);
    }

    [Fact]
    public async Task SearchingBeforeAnyIndexExistsFindsNothingAndCreatesNothing()
    {
        Assert.Empty(await _index.SearchAsync(new IndexQuery("client-a", null, "anything", _embedder.Embed("anything"), 3, SearchMode.Hybrid), default));
        Assert.Null(_server.IndexDefinition);
    }

    [Theory]
    [InlineData(null, "Search:Endpoint")]
    [InlineData("http://search.example.com", "Search:Endpoint")]
    [InlineData("not a url", "Search:Endpoint")]
    public void BadSettingsAreNamed(string? endpoint, string setting) =>
        Assert.Contains(new AzureSearchOptions { Endpoint = endpoint }.Problems(), p => p.StartsWith(setting, StringComparison.Ordinal));

    internal sealed class StaticToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Assert.Equal(["https://search.azure.com/.default"], requestContext.Scopes);
            return ValueTask.FromResult(GetToken(requestContext, cancellationToken));
        }
    }
}

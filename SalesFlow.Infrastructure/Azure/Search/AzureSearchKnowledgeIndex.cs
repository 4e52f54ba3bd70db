using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using global::Azure.Core;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Infrastructure.Azure.Search;

/// <summary>
/// The knowledge index on Azure AI Search (REST, api-version 2024-07-01): one index for all
/// clients, with filterable clientId and knowledgeBaseId (every query filters by client), a
/// searchable content field and an HNSW vector field; queries are hybrid (keyword + vector,
/// fused by the service with RRF). The index is created on first use if missing, with the vector
/// width of the first embedding seen. Authenticates with a Microsoft Entra token (managed identity).
/// </summary>
public sealed class AzureSearchKnowledgeIndex(HttpClient http, AzureSearchOptions options, TokenCredential credential) : IKnowledgeIndex
{
    private static readonly string[] Scopes = ["https://search.azure.com/.default"];
    private readonly SemaphoreSlim _ensure = new(1, 1);
    private volatile bool _indexReady;

    public async Task ReplaceSourceAsync(ChunkSource source, IReadOnlyList<IndexedChunk> chunks, CancellationToken ct)
    {
        if (chunks.Count > 0)
        {
            await EnsureIndexAsync(chunks[0].Vector.Length, ct);
        }
        else if (!await IndexExistsAsync(ct))
        {
            return;
        }

        var stale = await IdsAsync(Filter(source.ClientId, [source.KnowledgeBaseId]) + $" and sourceId eq '{Quote(source.SourceId)}'", ct);
        var actions = new List<JsonObject>();
        var keep = new HashSet<string>();
        foreach (var chunk in chunks)
        {
            var id = ChunkKey(source, chunk.Ordinal);
            keep.Add(id);
            actions.Add(new JsonObject
            {
                ["@search.action"] = "mergeOrUpload",
                ["id"] = id,
                ["clientId"] = source.ClientId,
                ["knowledgeBaseId"] = source.KnowledgeBaseId,
                ["sourceId"] = source.SourceId,
                ["sourceKind"] = source.Kind.ToWire(),
                ["title"] = source.Title,
                ["ordinal"] = chunk.Ordinal,
                ["content"] = chunk.Text,
                ["contentVector"] = new JsonArray(chunk.Vector.ToArray().Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
            });
        }

        // Uploads first, then removes chunks the new version no longer has: a search in between sees old or new, never nothing.
        actions.AddRange(stale.Where(id => !keep.Contains(id)).Select(id => new JsonObject { ["@search.action"] = "delete", ["id"] = id }));
        await IndexBatchesAsync(actions, ct);
    }

    public async Task DeleteSourceAsync(string clientId, string knowledgeBaseId, string sourceId, CancellationToken ct) =>
        await DeleteWhereAsync(Filter(clientId, [knowledgeBaseId]) + $" and sourceId eq '{Quote(sourceId)}'", ct);

    public async Task DeleteBaseAsync(string clientId, string knowledgeBaseId, CancellationToken ct) =>
        await DeleteWhereAsync(Filter(clientId, [knowledgeBaseId]), ct);

    public async Task<IReadOnlyList<IndexHit>> SearchAsync(IndexQuery query, CancellationToken ct)
    {
        if (!await IndexExistsAsync(ct))
        {
            return [];
        }

        var body = new JsonObject
        {
            ["filter"] = Filter(query.ClientId, query.KnowledgeBaseIds),
            ["top"] = query.Top,
            ["select"] = "id,clientId,knowledgeBaseId,sourceId,sourceKind,title,ordinal,content",
        };
        if (query.Mode != SearchMode.Vector)
        {
            body["search"] = query.Text;
            body["searchMode"] = "any";
            body["queryType"] = "simple";
        }

        if (query.Mode != SearchMode.Keyword && !query.Vector.IsEmpty)
        {
            body["vectorQueries"] = new JsonArray(new JsonObject
            {
                ["kind"] = "vector",
                ["vector"] = new JsonArray(query.Vector.ToArray().Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                ["fields"] = "contentVector",
                ["k"] = Math.Max(query.Top * 4, 40),
            });
            body["vectorFilterMode"] = "preFilter";
        }

        using var response = await SendAsync(HttpMethod.Post, $"indexes('{options.IndexName}')/docs/search.post.search", body, ct);
        await EnsureSuccessAsync(response, "search", ct);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var hits = new List<IndexHit>();
        foreach (var doc in result.GetProperty("value").EnumerateArray())
        {
            // Defence in depth: a document of another client never leaves the adapter, whatever the service returned.
            if (Str(doc, "clientId") != query.ClientId)
            {
                continue;
            }

            var source = new ChunkSource(query.ClientId, Str(doc, "knowledgeBaseId") ?? "", Str(doc, "sourceId") ?? Str(doc, "id") ?? "", KnowledgeWire.ParseKind(Str(doc, "sourceKind") ?? "document"), Str(doc, "title"));
            var ordinal = doc.TryGetProperty("ordinal", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetInt32() : 0;
            hits.Add(new IndexHit(source, ordinal, Str(doc, "content") ?? "", Score(doc, query.Mode)));
        }

        return hits;
    }

    /// <summary>
    /// The service's scores: cosine-based vector scores are 1/(1+distance), already in 0..1; hybrid
    /// scores are RRF sums (about 0.01–0.033), so they are rescaled by the best possible two-list
    /// RRF sum (2/61) to share the 0..1 range with the embedded index; BM25 goes through s/(s+5).
    /// </summary>
    private static double Score(JsonElement doc, SearchMode mode)
    {
        var raw = doc.TryGetProperty("@search.score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 0;
        return mode switch
        {
            SearchMode.Vector => raw,
            SearchMode.Keyword => raw / (raw + 5.0),
            _ => Math.Min(1, raw / (2.0 / 61)),
        };
    }

    /// <summary>The index schema: keyword fields, filterable tenant fields and an HNSW cosine vector field.</summary>
    internal JsonObject IndexDefinition(int dimensions) => new()
    {
        ["name"] = options.IndexName,
        ["fields"] = new JsonArray(
            Field("id", "Edm.String", key: true, filterable: true),
            Field("clientId", "Edm.String", filterable: true),
            Field("knowledgeBaseId", "Edm.String", filterable: true),
            Field("sourceId", "Edm.String", filterable: true),
            Field("sourceKind", "Edm.String", filterable: true),
            Field("title", "Edm.String", searchable: true),
            Field("ordinal", "Edm.Int32"),
            Field("content", "Edm.String", searchable: true),
            new JsonObject
            {
                ["name"] = "contentVector",
                ["type"] = "Collection(Edm.Single)",
                ["searchable"] = true,
                ["retrievable"] = false,
                ["dimensions"] = dimensions,
                ["vectorSearchProfile"] = "knowledge-hnsw",
            }),
        ["vectorSearch"] = new JsonObject
        {
            ["algorithms"] = new JsonArray(new JsonObject
            {
                ["name"] = "hnsw",
                ["kind"] = "hnsw",
                ["hnswParameters"] = new JsonObject { ["metric"] = "cosine", ["m"] = 4, ["efConstruction"] = 400, ["efSearch"] = 500 },
            }),
            ["profiles"] = new JsonArray(new JsonObject { ["name"] = "knowledge-hnsw", ["algorithm"] = "hnsw" }),
        },
    };

    /// <summary>
    /// Sortable and facetable are off unless asked for: the service defaults them to true where it can, which limits a
    /// string value to 32,766 bytes (a long chunk's content would be refused) and stores the values twice.
    /// </summary>
    private static JsonObject Field(string name, string type, bool key = false, bool filterable = false, bool searchable = false) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["key"] = key,
        ["filterable"] = filterable,
        ["searchable"] = searchable,
        ["sortable"] = false,
        ["facetable"] = false,
        ["retrievable"] = true,
    };

    private async Task EnsureIndexAsync(int dimensions, CancellationToken ct)
    {
        if (_indexReady)
        {
            return;
        }

        await _ensure.WaitAsync(ct);
        try
        {
            if (!_indexReady && !await IndexExistsAsync(ct))
            {
                using var response = await SendAsync(HttpMethod.Put, $"indexes('{options.IndexName}')", IndexDefinition(dimensions), ct);
                await EnsureSuccessAsync(response, "create index", ct);
            }

            _indexReady = true;
        }
        finally
        {
            _ensure.Release();
        }
    }

    private async Task<bool> IndexExistsAsync(CancellationToken ct)
    {
        if (_indexReady)
        {
            return true;
        }

        using var response = await SendAsync(HttpMethod.Get, $"indexes('{options.IndexName}')", null, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, "get index", ct);
        _indexReady = true;
        return true;
    }

    private async Task<List<string>> IdsAsync(string filter, CancellationToken ct)
    {
        var ids = new List<string>();
        // Pages by skip: a source has at most a few thousand chunks (the service caps skip at 100,000).
        for (var skip = 0; ; skip += 1000)
        {
            var body = new JsonObject { ["filter"] = filter, ["select"] = "id", ["top"] = 1000, ["skip"] = skip };
            using var response = await SendAsync(HttpMethod.Post, $"indexes('{options.IndexName}')/docs/search.post.search", body, ct);
            await EnsureSuccessAsync(response, "list chunks", ct);
            var page = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("value").EnumerateArray().Select(d => Str(d, "id")!).ToList();
            ids.AddRange(page);
            if (page.Count < 1000)
            {
                return ids;
            }
        }
    }

    private async Task DeleteWhereAsync(string filter, CancellationToken ct)
    {
        if (!await IndexExistsAsync(ct))
        {
            return;
        }

        var ids = await IdsAsync(filter, ct);
        await IndexBatchesAsync(ids.Select(id => new JsonObject { ["@search.action"] = "delete", ["id"] = id }).ToList(), ct);
    }

    private async Task IndexBatchesAsync(List<JsonObject> actions, CancellationToken ct)
    {
        // The service takes at most 1000 actions per batch.
        foreach (var batch in actions.Chunk(500))
        {
            using var response = await SendAsync(HttpMethod.Post, $"indexes('{options.IndexName}')/docs/search.index", new JsonObject { ["value"] = new JsonArray(batch.Select(a => (JsonNode)a).ToArray()) }, ct);
            await EnsureSuccessAsync(response, "index documents", ct);
            var result = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var failed = result.GetProperty("value").EnumerateArray().Where(r => r.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.False).ToList();
            if (failed.Count > 0)
            {
                throw new InvalidOperationException($"AI Search rejected {failed.Count} of {batch.Length} index actions: {Str(failed[0], "errorMessage")}");
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext(Scopes), ct);
        var request = new HttpRequestMessage(method, new Uri(new Uri(options.Endpoint!.TrimEnd('/') + "/"), $"{path}?api-version={options.ApiVersion}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await http.SendAsync(request, ct);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException($"AI Search {what} failed: {(int)response.StatusCode} {text[..Math.Min(text.Length, 500)]}", null, response.StatusCode);
        }
    }

    internal static string Filter(string clientId, IReadOnlyList<string>? bases)
    {
        var filter = $"clientId eq '{Quote(clientId)}'";
        return bases is null ? filter : filter + " and (" + string.Join(" or ", bases.Select(b => $"knowledgeBaseId eq '{Quote(b)}'")) + ")";
    }

    /// <summary>OData string literal: a single quote is doubled.</summary>
    private static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    /// <summary>Document keys allow letters, digits, dash, underscore and equals: a hash of the natural key.</summary>
    private static string ChunkKey(ChunkSource source, int ordinal) => Core.Common.Ids.Deterministic("k", source.ClientId, source.KnowledgeBaseId, source.SourceId) + "-" + ordinal;

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

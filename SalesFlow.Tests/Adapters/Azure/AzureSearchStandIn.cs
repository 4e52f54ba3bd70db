using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>
/// An in-test AI Search REST endpoint on 127.0.0.1 (real Kestrel, real HTTP). It keeps an index
/// definition and documents, answers the id listings the adapter makes with the documents that
/// match the "field eq 'value'" terms of the filter, and answers queries with the REST spec's own
/// example response (fixtures), its documents given the tenant fields of the query's filter.
/// </summary>
public sealed class AzureSearchStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AzureSearchStandIn(WebApplication app, string fixture)
    {
        _app = app;
        Fixture = fixture;
    }

    public string Endpoint => _app.Urls.First();
    public string Fixture { get; set; }
    public JsonObject? IndexDefinition { get; private set; }
    public ConcurrentDictionary<string, JsonObject> Documents { get; } = new();
    public ConcurrentQueue<(string Method, string Path, string Query, string Authorization, JsonNode? Body)> Requests { get; } = new();

    /// <summary>Statuses the next requests get instead of an answer (recorded all the same), to prove the client retries.</summary>
    public ConcurrentQueue<int> FailNext { get; } = new();

    /// <summary>Extra documents slipped into query answers (to prove the adapter drops other tenants' hits).</summary>
    public List<JsonObject> Intruders { get; } = [];

    public static async Task<AzureSearchStandIn> StartAsync(string fixture = "SearchIndexSearchDocumentsPost.2024-07-01.json")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort()}");
        var app = builder.Build();
        var standIn = new AzureSearchStandIn(app, fixture);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        return standIn;
    }

    public static JsonObject Example(string fixture) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Api", "azure-search", fixture)))!.AsObject();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Path.Value ?? "");
        JsonNode? body = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            body = await JsonNode.ParseAsync(context.Request.Body);
        }

        Requests.Enqueue((context.Request.Method, path, context.Request.QueryString.Value ?? "", context.Request.Headers.Authorization.ToString(), body));
        if (FailNext.TryDequeue(out var failure))
        {
            await Reply(context, failure, new JsonObject { ["error"] = new JsonObject { ["message"] = "scripted failure" } });
            return;
        }

        if (context.Request.Query["api-version"] != "2024-07-01")
        {
            await Reply(context, 400, new JsonObject { ["error"] = new JsonObject { ["message"] = "api-version missing" } });
            return;
        }

        var index = Regex.Match(path, @"^/indexes\('([^']+)'\)(/docs/(search\.index|search\.post\.search))?$");
        if (!index.Success)
        {
            await Reply(context, 404, new JsonObject());
            return;
        }

        switch (context.Request.Method, index.Groups[3].Value)
        {
            case ("GET", ""):
                await Reply(context, IndexDefinition is null ? 404 : 200, IndexDefinition ?? new JsonObject { ["error"] = new JsonObject { ["code"] = "ResourceNameNotFound" } });
                break;
            case ("PUT", ""):
                IndexDefinition = body!.AsObject();
                await Reply(context, 201, IndexDefinition.DeepClone());
                break;
            case ("POST", "search.index"):
                var results = new JsonArray();
                foreach (var action in body!["value"]!.AsArray())
                {
                    var id = (string)action!["id"]!;
                    if ((string?)action["@search.action"] == "delete")
                    {
                        Documents.TryRemove(id, out _);
                    }
                    else
                    {
                        Documents[id] = action.AsObject().DeepClone().AsObject();
                    }

                    results.Add(new JsonObject { ["key"] = id, ["status"] = true, ["errorMessage"] = null, ["statusCode"] = 200 });
                }

                await Reply(context, 200, new JsonObject { ["value"] = results });
                break;
            case ("POST", "search.post.search"):
                await Reply(context, 200, Search(body!.AsObject()));
                break;
            default:
                await Reply(context, 405, new JsonObject());
                break;
        }
    }

    private JsonObject Search(JsonObject request)
    {
        var terms = Regex.Matches((string?)request["filter"] ?? "", @"(\w+) eq '((?:[^']|'')*)'").Select(m => (Field: m.Groups[1].Value, Value: m.Groups[2].Value.Replace("''", "'"))).ToList();
        bool Matches(JsonObject doc) => terms.GroupBy(t => t.Field).All(g => g.Any(t => (string?)doc[t.Field] == t.Value));

        if ((string?)request["select"] == "id")
        {
            var skip = (int?)request["skip"] ?? 0;
            var top = (int?)request["top"] ?? 50;
            var ids = Documents.Values.Where(Matches).OrderBy(d => (string)d["id"]!).Skip(skip).Take(top).Select(d => (JsonNode)new JsonObject { ["@search.score"] = 1.0, ["id"] = d["id"]!.DeepClone() });
            return new JsonObject { ["value"] = new JsonArray(ids.ToArray()) };
        }

        // A query: the spec example's answer, its documents given this query's tenant fields.
        var answer = Example(Fixture)["responses"]!["200"]!["body"]!.DeepClone().AsObject();
        var clientId = terms.FirstOrDefault(t => t.Field == "clientId").Value;
        var baseId = terms.FirstOrDefault(t => t.Field == "knowledgeBaseId").Value ?? "kb-any";
        foreach (var doc in answer["value"]!.AsArray().Select(d => d!.AsObject()))
        {
            doc["clientId"] = clientId;
            doc["knowledgeBaseId"] = baseId;
            doc["sourceId"] ??= (string?)doc["docId"];
            doc["content"] ??= (string?)doc["description"];
            doc["sourceKind"] = "document";
        }

        foreach (var intruder in Intruders)
        {
            answer["value"]!.AsArray().Add(intruder.DeepClone());
        }

        return answer;
    }

    private static async Task Reply(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; odata.metadata=minimal";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

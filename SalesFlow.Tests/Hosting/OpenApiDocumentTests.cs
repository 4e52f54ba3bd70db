using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using SalesFlow.Functions.Apis;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// GET /openapi/v1.json of the standalone app, read back over HTTP, against the app's own route table: every route is
/// described with its method, every success has a typed schema (or its content type), and the key-protected operations
/// carry the bearer requirement. Failures are listed per route so a missing declaration names its operation.
/// </summary>
public sealed partial class OpenApiDocumentTests : IAsyncLifetime
{
    private InProcessApp _app = null!;
    private string _json = "";
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _app = await InProcessApp.StandaloneAsync();
        using var response = await _app.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _json = await response.Content.ReadAsStringAsync();
        _document = JsonDocument.Parse(_json).RootElement.Clone();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TheDocumentIsValidOpenApiWithABearerSecurityScheme()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(_json));
        var (document, diagnostic) = await OpenApiDocument.LoadAsync(stream, "json");

        Assert.NotNull(document);
        Assert.Empty(diagnostic?.Errors ?? []);
        Assert.StartsWith("3.", _document.GetProperty("openapi").GetString());
        Assert.Equal("SalesFlow API", document.Info.Title);
        var scheme = Assert.IsType<OpenApiSecurityScheme>(document.Components?.SecuritySchemes?[OpenApiExtensions.BearerScheme]);
        Assert.Equal(SecuritySchemeType.Http, scheme.Type);
        Assert.Equal("bearer", scheme.Scheme);
    }

    [Fact]
    public void EveryRouteOfTheRouteTableIsDescribedWithItsMethod()
    {
        var described = Operations().Select(o => $"{o.Method} {o.Path}").ToHashSet();

        var missing = RouteTable().Where(r => !r.Excluded && !described.Contains($"{r.Method} {r.Path}")).Select(r => $"{r.Method} {r.Path}").ToList();
        var hidden = RouteTable().Where(r => r.Excluded && !ExcludedOnPurpose(r.Endpoint)).Select(r => $"{r.Method} {r.Path}").ToList();

        Assert.True(missing.Count == 0, "Routes missing from /openapi/v1.json:\n" + string.Join('\n', missing));
        Assert.True(hidden.Count == 0, "Routes excluded from the description without a reason:\n" + string.Join('\n', hidden));
        Assert.Contains("GET /health", described);
        Assert.DoesNotContain(described, d => d.EndsWith("/openapi/{documentName}.json", StringComparison.Ordinal));
    }

    [Fact]
    public void EverySuccessResponseDeclaresATypedSchemaOrItsContentType()
    {
        var failures = new List<string>();
        foreach (var (method, path, operation) in Operations())
        {
            var successes = operation.TryGetProperty("responses", out var responses)
                ? responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList()
                : [];
            if (successes.Count == 0)
            {
                failures.Add($"{method} {path}: no 2xx response");
            }

            foreach (var success in successes.Where(s => s.Name != "204"))
            {
                if (!success.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
                {
                    failures.Add($"{method} {path}: {success.Name} declares no content (no type, no content type)");
                    continue;
                }

                foreach (var media in content.EnumerateObject().Where(m => m.Name.Contains("json", StringComparison.Ordinal)))
                {
                    if (!media.Value.TryGetProperty("schema", out var schema) || !IsTyped(schema))
                    {
                        failures.Add($"{method} {path}: {success.Name} {media.Name} has no schema");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, "Operations without a typed success:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void TheStreamingChatDeclaresServerSentEventsAndTheErrorsAreProblemJson()
    {
        var chat = Operations().Single(o => o.Method == "POST" && o.Path == "/api/chat/stream").Operation;
        var responses = chat.GetProperty("responses");

        Assert.True(responses.GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
        foreach (var status in new[] { "400", "401", "404" })
        {
            var problem = responses.GetProperty(status).GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
            Assert.True(IsTyped(problem), $"{status} has a problem+json schema");
        }
    }

    [Fact]
    public void BodiesTheHandlersReadThemselvesAreDescribedWithTheirMediaTypes()
    {
        var patch = Operations().Single(o => o.Method == "PATCH" && o.Path == "/api/clients/{clientId}/config").Operation;
        var document = Operations().Single(o => o.Method == "POST" && o.Path == "/api/knowledge/bases/{id}/documents").Operation;

        Assert.True(IsTyped(patch.GetProperty("requestBody").GetProperty("content").GetProperty("application/merge-patch+json").GetProperty("schema")));
        var media = document.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(m => m.Name).ToList();
        Assert.Equal(["application/json", "text/plain", "text/markdown", "text/html"], media);
    }

    [Fact]
    public void KeyProtectedOperationsCarryTheBearerRequirementAndOpenOnesDoNot()
    {
        var requiresKey = RouteTable().Where(r => !r.Excluded)
            .ToDictionary(r => $"{r.Method} {r.Path}", r => r.Endpoint.Metadata.GetMetadata<BearerKeyRequirement>() is not null);
        var failures = new List<string>();
        foreach (var (method, path, operation) in Operations())
        {
            var secured = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(s => s.TryGetProperty(OpenApiExtensions.BearerScheme, out _));
            if (requiresKey.TryGetValue($"{method} {path}", out var wanted) && wanted != secured)
            {
                failures.Add($"{method} {path}: {(wanted ? "takes a key but has no" : "is open but has a")} bearer requirement");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(requiresKey["GET /api/leads"], "the lead list takes the client's key");
        Assert.True(requiresKey["POST /api/admin/clients"], "onboarding takes the admin key");
        Assert.True(requiresKey["GET /api/clients/{clientId}/config"], "the config takes the client's or the admin key");
        Assert.False(requiresKey["GET /health"]);
        Assert.False(requiresKey["POST /api/webhooks/hubspot/{clientId}"]);
        Assert.Contains(requiresKey, r => r.Key.Contains("/verify", StringComparison.Ordinal) && !r.Value);
    }

    [Fact]
    public async Task TheApiReferencePageIsServedAsHtml()
    {
        using var response = await _app.Http.GetAsync(OpenApiExtensions.ReferencePath);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("SalesFlow API reference", html);
    }

    /// <summary>A schema that says what the body is: a reference, a type, properties, items or a composition.</summary>
    private static bool IsTyped(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object
        && new[] { "$ref", "type", "properties", "items", "anyOf", "oneOf", "allOf" }.Any(k => schema.TryGetProperty(k, out _));

    private IEnumerable<(string Method, string Path, JsonElement Operation)> Operations() =>
        _document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch" or "head" or "options" or "trace")
            .Select(o => (o.Name.ToUpperInvariant(), Normalize(path.Name), o.Value)));

    /// <summary>Each endpoint of the standalone route table with each of its methods and its path as OpenAPI writes it.</summary>
    private List<(RouteEndpoint Endpoint, string Method, string Path, bool Excluded)> RouteTable() =>
    [
        .. _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (e, m, Normalize("/" + e.RoutePattern.RawText!.TrimStart('/')), e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true))),
    ];

    /// <summary>
    /// Left out of the document on purpose: the document and the API reference page, and the web console's page and
    /// assets (HTML, JS and CSS, not API).
    /// </summary>
    private static bool ExcludedOnPurpose(RouteEndpoint e)
    {
        var pattern = "/" + e.RoutePattern.RawText!.TrimStart('/');
        return pattern.StartsWith("/openapi/", StringComparison.Ordinal)
            || pattern.StartsWith(OpenApiExtensions.ReferencePath, StringComparison.Ordinal)
            || pattern == "/" || pattern.StartsWith("/console/", StringComparison.Ordinal);
    }

    /// <summary>Parameters as plain {name} (no constraint, default, optional or catch-all marks), no trailing slash.</summary>
    private static string Normalize(string path)
    {
        var plain = RouteParameter().Replace(path, m => "{" + m.Groups["name"].Value + "}");
        return plain.Length > 1 ? plain.TrimEnd('/') : plain;
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}

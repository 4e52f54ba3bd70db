using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Routing.Patterns;
using SalesFlow.Functions.Security;
using SalesFlow.Tests.Support;
using Xunit.Abstractions;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// A corpus of bad input for every route of the route table (so a new route is covered without being named): malformed
/// and oversize bodies, wrong content types, text that is not text, deep nesting, missing and extra fields, ids that
/// traverse or carry control characters, header values that try to inject, wrong methods and nonsense queries. Each
/// request carries the key (or the webhook signature) its route asks for, so validation is reached. For every case:
/// never a 5xx; a 4xx is application/problem+json naming the field at fault; a 4xx stored, changed or deleted nothing
/// (<see cref="StoreFingerprint"/> of every table before and after).
/// </summary>
public sealed class AbuseCorpusOverHttpTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminKey = "abuse-corpus-admin-key";

    /// <summary>Small, so oversize cases stay cheap; everything the corpus sends on purpose fits well within it.</summary>
    private const int MaxBody = 64 * 1024;

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private readonly WebhookSigning _signing = new();
    private readonly List<string> _failures = [];
    private InProcessApp _app = null!;
    private HttpClient _admin = null!;
    private HttpClient _anonymous = null!;
    private HttpClient _client = null!;
    private string _leadId = "";
    private string _conversationId = "";
    private string _baseId = "";
    private int _tried;

    /// <summary>Cases Kestrel refused itself (a NUL in the path) with a bodiless 400 before the app could answer.</summary>
    private int KestrelRefused { get; set; }

    public async Task InitializeAsync()
    {
        _app = await InProcessApp.StandaloneAsync(new()
        {
            ["SalesFlow:AdminKey"] = AdminKey,
            ["SalesFlow:MaxRequestBodyBytes"] = MaxBody.ToString(CultureInfo.InvariantCulture),
        });
        _admin = Client(AdminKey);
        _anonymous = Client((string?)null);
        _client = Client(SalesFlowAppProcess.ApiKey);
        using var patched = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent(_signing.ConfigPatch, Encoding.UTF8, "application/merge-patch+json"));
        Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
        var started = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+14155550188", name = "Corpus Lead", message = "Hi, what does it cost?" });
        (_leadId, _conversationId) = (started.Str("leadId"), started.Str("conversationId"));
        _baseId = (await _app.Http.PostJsonAsync("/api/knowledge/bases", new { name = "Corpus base" })).Str("id");


        await StoreFingerprint.SettledAsync(_app.Services);
    }

    public async Task DisposeAsync()
    {
        _signing.Dispose();
        _admin.Dispose();
        _anonymous.Dispose();
        _client.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>Bodies that are not what any route reads: each must be refused, whichever route gets it.</summary>
    public static IEnumerable<(string Name, string ContentType, byte[] Body)> UnreadableBodies()
    {
        yield return ("truncated JSON", "application/json", Utf8("{\"name\":\"abc"));
        yield return ("not JSON", "application/json", Utf8("hello, world"));
        yield return ("JSON number", "application/json", Utf8("42"));
        yield return ("JSON null", "application/json", Utf8("null"));
        yield return ("empty body", "application/json", []);
        yield return ("trailing garbage", "application/json", Utf8("{} {}"));
        yield return ("deep arrays", "application/json", Utf8(new string('[', 5000) + new string(']', 5000)));
        yield return ("deep objects", "application/json", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)));
        yield return ("invalid UTF-8 everywhere", "application/json", [.. Utf8("{\"x\":\""), 0xFF, 0xFE, .. Utf8("\"}")]);
        yield return ("overlong UTF-8 slash", "application/json", [.. Utf8("\""), 0xC0, 0xAF, .. Utf8("\"")]);
        yield return ("BOM then garbage", "application/json", [0xEF, 0xBB, 0xBF, .. Utf8("{,}")]);
        yield return ("malformed form", "application/x-www-form-urlencoded", Utf8("=%zz&&=&%"));
        yield return ("multipart without boundary", "multipart/form-data", Utf8("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n"));
        yield return ("multipart that never ends", "multipart/form-data; boundary=abuse", Utf8("--abuse\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nx"));
        yield return ("multipart with a broken part header", "multipart/form-data; boundary=abuse", Utf8("--abuse\r\nContent-Disposition\r\n\r\nx\r\n--abuse--\r\n"));
        yield return ("XML", "application/xml", Utf8("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
    }

    /// <summary>Text every field could carry: some is not text at all (must be refused), some is text that hides (may be kept).</summary>
    public static readonly (string Name, string Json, bool NotText)[] EdgeStrings =
    [
        ("lone high surrogate", "\"a\\ud800b\"", true),
        ("lone low surrogate", "\"\\udc00\"", true),
        ("NUL", "\"a\\u0000b\"", false),
        ("RTL override", "\"abc\\u202Edcba\"", false),
        ("zero-width only", "\"\\u200B\\u200C\\u200D\\u2060\"", false),
        ("control characters", "\"\\u0007\\u001B[31m\"", false),
        ("long", "\"" + new string('x', 1_000) + "\"", false), // every field at once stays within the body limit
    ];

    [Fact]
    public async Task EveryRouteRefusesBadInputWithProblemJsonNamingTheFieldAndStoresNothing()
    {
        var routes = RouteTable.Of(_app.Services);
        Assert.True(routes.Count(r => r.ReadsBody) >= 20, "the route table lost its body-reading routes");

        foreach (var route in routes.Where(r => r.ReadsBody))
        {
            foreach (var (name, contentType, body) in UnreadableBodies())
            {
                if (!route.Accepts.Contains(MediaType(contentType)))
                {
                    await ProbeAsync(route, "body: " + name, await RequestAsync(route, ValidPath(route), contentType, body), Expect.Refused, field: "*");
                }
            }

            await ProbeAsync(route, "body: larger than the limit", Oversize(route, chunked: false), Expect.Refused, field: "body", status: 413);
            await ProbeAsync(route, "body: larger than the limit, chunked", Oversize(route, chunked: true), Expect.Refused, field: "*");
            await ProbeAsync(route, "body: empty object", await RequestAsync(route, ValidPath(route), "application/json", Utf8("{}")), Expect.MayAccept, field: "*");
            await ProbeAsync(route, "body: extra fields only", await RequestAsync(route, ValidPath(route), "application/json", Utf8("{\"__proto__\":{\"isAdmin\":true},\"constructor\":{\"prototype\":1},\"unexpected\":[1,2,3]}")), Expect.MayAccept, field: "*");
            foreach (var (name, json, notText) in EdgeStrings)
            {
                var body = Utf8("{" + string.Join(",", FieldNames.Select(f => $"\"{f}\":{json}")) + "}");
                await ProbeAsync(route, "every field: " + name, await RequestAsync(route, ValidPath(route), "application/json", body), notText ? Expect.Refused : Expect.MayAccept, field: "*");
            }
        }

        foreach (var route in routes.Where(r => r.Parameters.Any()))
        {
            foreach (var parameter in route.Parameters)
            {
                foreach (var (name, value) in BadIds)
                {
                    var path = route.PathWith(p => p == parameter ? value : ValidValue(route, p));
                    var request = await RequestAsync(route, path, "application/json", Utf8("{}"));

                    // A whole ".." segment is removed before routing (RFC 3986 dot segments): the request is for another
                    // path, which may exist; it must store nothing. Kestrel refuses a NUL in the path itself.
                    var dotSegment = value is ".." or "%2e%2e";
                    await ProbeAsync(route, $"{parameter}: {name}", request, dotSegment ? Expect.MayAccept : Expect.Refused, field: "*", routingMayAnswer: true, readOnly: dotSegment, kestrelMayRefuse: value.Contains("%00", StringComparison.Ordinal));
                }
            }
        }

        foreach (var group in routes.GroupBy(r => r.Pattern))
        {
            var first = group.First();
            foreach (var method in Methods.Except(group.Select(r => r.Method)))
            {
                // Skipped where another route takes that method on the same path ("GET /api/leads/import" is GET /api/leads/{id}).
                var wrong = first with { Method = method };
                if (!routes.Any(r => r.Method == method && Matches(r, ValidPath(first))))
                {
                    await ProbeAsync(wrong, "wrong method " + method, await RequestAsync(wrong, ValidPath(first), "application/json", Utf8("{}")), Expect.Refused, field: null, status: 405);
                }
            }
        }

        foreach (var route in routes.Where(r => r.Method == "GET"))
        {
            foreach (var (name, query) in BadQueries)
            {
                await ProbeAsync(route, "query " + name, await RequestAsync(route, ValidPath(route) + "?" + query, null, null), Expect.MayAccept, field: "*", readOnly: true);
            }
        }

        foreach (var route in routes.Where(r => r.Method == "POST" && r.Pattern is "/api/conversations/" or "/api/conversations/{id}/messages" or "/api/chat/stream" or "/api/leads/{id}/replies"))
        {
            // A retry key the route cannot honour is refused, not ignored: ignored, the caller's retry writes twice.
            var body = Utf8($"{{\"channel\":\"sms\",\"from\":\"+14155550177\",\"conversationId\":\"{_conversationId}\",\"message\":\"Hello again\",\"text\":\"Hi\",\"by\":\"rep@example.com\"}}");
            foreach (var key in new[] { new string('k', 201), "key\tkey" })
            {
                var request = await RequestAsync(route, ValidPath(route), "application/json", body);
                request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
                await ProbeAsync(route, $"Idempotency-Key it cannot honour: {Describe(key)}", request, Expect.Refused, field: "Idempotency-Key");
            }
        }

        foreach (var route in routes)
        {
            foreach (var (header, value) in BadHeaderValues)
            {
                var request = await RequestAsync(route, ValidPath(route), route.ReadsBody ? "application/json" : null, route.ReadsBody ? Utf8("{}") : null);
                request.Headers.TryAddWithoutValidation(header, value);
                await ProbeAsync(route, $"header {header}: {Describe(value)}", request, Expect.MayAccept, field: "*", echoCheck: value);
            }
        }

        output.WriteLine($"{_tried} cases over {routes.Count} routes; {_failures.Count} failed; {KestrelRefused} refused by Kestrel before the app");
        Assert.True(_failures.Count == 0, $"{_failures.Count} of {_tried} cases failed:\n" + string.Join("\n", _failures));
    }

    /// <summary>
    /// Generated bodies for every route that binds JSON: objects with the fields any route reads, each left out or given
    /// a value of the wrong type, out of range, deeply nested or text that is not text. Whatever comes out: never a 5xx,
    /// and a refusal is problem+json naming a field and stores nothing. The seed to replay a failure is in its message.
    /// </summary>
    [Fact]
    public async Task GeneratedJsonBodiesNeverGetAServerErrorAndARefusalStoresNothing()
    {
        var routes = RouteTable.Of(_app.Services).Where(r => r.Accepts.Contains("application/json") && !r.IsWebhook).ToList();
        Assert.NotEmpty(routes);
        var value = Gen.OneOf(
            Gen.Int[0, 0].Select(_ => (JsonNode?)null),
            Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Double.Select(d => (JsonNode?)(double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(1e308))),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
            Gen.OneOf("", " ", "x", "-1", "1e999", "NaN", "2026-13-45", "../../etc/passwd", "%2e%2e", "+491701234567", "a@b.c", "\u202Eevil", "\u200B", "\u0000", new string('y', 5000), "\ud800")
                .Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Int[1, 3].Select(n => (JsonNode?)new JsonArray([.. Enumerable.Range(0, n).Select(_ => (JsonNode?)JsonValue.Create("x"))])),
            Gen.Int[0, 0].Select(_ => JsonNode.Parse(new string('[', 100) + new string(']', 100), documentOptions: new JsonDocumentOptions { MaxDepth = 128 })));
        var body = Gen.Select(Gen.Int[0, routes.Count - 1], Gen.OneOf(FieldNames).Array[0, 6], value.Array[6], (r, names, values) =>
            (Route: routes[r], Body: new JsonObject(names.Distinct().Select((n, i) => KeyValuePair.Create(n, values[i]?.DeepClone()))).ToJsonString()));

        await body.SampleAsync(
            async sample =>
            {
                _failures.Clear();
                await ProbeAsync(sample.Route, "generated " + sample.Body[..Math.Min(200, sample.Body.Length)], await RequestAsync(sample.Route, ValidPath(sample.Route), "application/json", Utf8(sample.Body)), Expect.MayAccept, field: "*");
                Assert.True(_failures.Count == 0, string.Join("\n", _failures));
            },
            iter: 150,
            threads: 1,
            print: s => $"{s.Route} {s.Body}");
        output.WriteLine($"{_tried} generated bodies");
    }

    /// <summary>
    /// CR or LF inside a header value, sent as raw bytes (HttpClient refuses to): Kestrel refuses a bare CR itself with a
    /// bodiless 400 before any middleware runs (so that answer cannot be problem+json), and reads a bare LF as the end of
    /// the line. Held to: no header injected into the answer, a refusal stores nothing, never a 5xx.
    /// </summary>
    [Fact]
    public async Task ACrOrLfInAnEchoedHeaderInjectsNothingIntoTheAnswerAndIsNeverAServerError()
    {
        foreach (var (header, raw) in new[] { ("Idempotency-Key", "abc\rX-Injected: 1"), ("If-Match", "\"x\"\rX-Injected: 1"), ("Idempotency-Key", "abc\nX-Injected: 1"), ("If-Match", "\"x\"\r\n X-Injected: 1") })
        {
            var before = StoreFingerprint.Of(_app.Services);
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, _app.BaseUrl.Port);
            var stream = tcp.GetStream();
            const string body = "{\"message\":\"hi\"}";
            await stream.WriteAsync(Utf8($"POST /api/conversations/{_conversationId}/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {SalesFlowAppProcess.ApiKey}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n{header}: {raw}\r\nConnection: close\r\n\r\n{body}"));
            var response = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();
            _tried++;

            // A bare LF ends the header line (Kestrel reads it as a line break): the rest arrives as a header of its own,
            // and the request is an honest one. Either way nothing is injected into the answer.
            var status = response.Length >= 12 ? response[9..12] : response;
            var headers = response[..Math.Max(0, response.IndexOf("\r\n\r\n", StringComparison.Ordinal))];
            if (status.StartsWith('5') || headers.Contains("X-Injected", StringComparison.OrdinalIgnoreCase)
                || (status.StartsWith('4') && StoreFingerprint.Of(_app.Services).RequestChangesSince(before).Length > 0))
            {
                _failures.Add($"{header} {Describe(raw)}: {response[..Math.Min(300, response.Length)]}");
            }
        }

        Assert.True(_failures.Count == 0, string.Join("\n", _failures));
    }

    private enum Expect
    {
        /// <summary>Must be a 4xx.</summary>
        Refused,

        /// <summary>May succeed (then it may store); a refusal is held to the same rules.</summary>
        MayAccept,
    }

    /// <summary>Field names the routes read, so generated and edge-case bodies reach validation rather than only "missing field".</summary>
    private static readonly string[] FieldNames =
    [
        "channel", "from", "name", "message", "text", "id", "title", "content", "contentType", "query", "mode", "top", "minScore", "knowledgeBaseId",
        "question", "answer", "faqs", "status", "note", "primary", "outcome", "value", "reason", "by", "otherLeadId", "conversationId", "email", "phone",
        "defaultCountryCode", "steps", "action", "dueAfterDays", "budget", "authority", "need", "timeline", "score", "evidence", "script", "description", "timeZone",
    ];

    /// <summary>Ids as they appear in the path (already escaped where a client would escape them).</summary>
    private static readonly (string Name, string Value)[] BadIds =
    [
        ("too long", new string('a', 3000)),
        ("dot-dot", ".."),
        ("escaped dot-dot", "%2e%2e"),
        ("escaped traversal", "..%2F..%2Fetc%2Fpasswd"),
        ("backslash traversal", "..%5C..%5Cwindows%5Cwin.ini"),
        ("NUL", "x%00y"),
        ("CR LF", "x%0D%0AX-Injected:%201"),
        ("control characters", "x%07%1B"),
        ("RTL override", "x%E2%80%AEy"),
        ("zero-width", "%E2%80%8B"),
        ("overlong UTF-8", "%C0%AF"),
        ("lone surrogate in UTF-8", "%ED%A0%80"),
        ("invalid byte", "%FF"),
        ("quote", "x'%22%3B--"),
    ];

    private static readonly (string Name, string Query)[] BadQueries =
    [
        ("negative limit", "limit=-1&max=-1&top=-1&days=-1"),
        ("huge numbers", "limit=99999999999999999999&max=99999999999999999999&page=99999999999999999999"),
        ("not numbers", "limit=abc&max=abc&top=abc&minScore=abc"),
        ("bad cursor", "cursor=%FF%FE&cursor=..%2F"),
        ("bad dates", "from=yesterday&to=2026-13-45&since=%00"),
        ("NUL and RTL", "leadId=%00&status=%E2%80%AE&channel=fax&kind=%C0%AF"),
        ("repeated", "limit=1&limit=2&leadId=a&leadId=b"),
    ];

    private static readonly (string Header, string Value)[] BadHeaderValues =
    [
        ("Idempotency-Key", "key\u202Eevil\u200B😀"),
        ("Idempotency-Key", new string('k', 4000)),
        ("If-Match", "\"etag\u202E\""),
        ("If-Match", "W/\"" + new string('e', 4000) + "\""),
        ("X-Forwarded-Host", "evil.example\u2028X-Injected: 1"),
    ];

    private async Task ProbeAsync(RouteEntry route, string name, HttpRequestMessage request, Expect expect, string? field, int? status = null, bool routingMayAnswer = false, bool readOnly = false, string? echoCheck = null, bool kestrelMayRefuse = false)
    {
        _tried++;
        var before = StoreFingerprint.Of(_app.Services);
        HttpResponseMessage response;
        try
        {
            // An oversize body ends its connection (Kestrel does not read it): it goes on a connection of its own.
            using var own = request.Content?.Headers.ContentLength > MaxBody || request.Headers.TransferEncodingChunked == true ? Client(KeyOf(route)) : null;
            response = await (own ?? Client(route)).SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            _failures.Add($"{route} [{name}]: no answer ({e.Message})");
            return;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var code = (int)response.StatusCode;
            var after = StoreFingerprint.Of(_app.Services);
            string? fault = null;
            if (kestrelMayRefuse && code == 400 && text.Length == 0)
            {
                KestrelRefused++;
            }
            else if (code >= 500)
            {
                fault = "server error";
            }
            else if (code < 400)
            {
                fault = expect == Expect.Refused ? "accepted" : readOnly && after.RequestChangesSince(before) is { Length: > 0 } wrote ? "stored: " + wrote : null;
            }
            else if (status is not null && code != status)
            {
                fault = $"expected {status}";
            }
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                fault = "not problem+json";
            }
            else if (field is not null && !NamesField(text, field) && !(routingMayAnswer && NoRouteMatched(text)))
            {
                fault = "names no field";
            }
            else if (after.RequestChangesSince(before) is { Length: > 0 } changes)
            {
                fault = "stored: " + changes;
            }

            if (fault is null && echoCheck is not null && response.Headers.Concat(response.Content.Headers).Any(h => h.Key.Contains("Injected", StringComparison.OrdinalIgnoreCase)))
            {
                fault = "a header was injected";
            }

            if (fault is not null)
            {
                _failures.Add($"{route} [{name}]: {fault}: {code} {response.Content.Headers.ContentType?.MediaType} {text[..Math.Min(240, text.Length)]}");
            }
        }
    }

    /// <summary>Routing's own 404: no route matched the path, so no route's field is at fault.</summary>
    private static bool NoRouteMatched(string problem) => problem.Contains("\"title\":\"No route matches this path.\"", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="route"/>'s pattern matches <paramref name="path"/> (literals equal, a parameter any one segment, a catch-all the rest).</summary>
    private static bool Matches(RouteEntry route, string path)
    {
        var segments = path.Trim('/').Split('/');
        var pattern = route.Route.PathSegments;
        for (var i = 0; i < pattern.Count; i++)
        {
            var parts = pattern[i].Parts;
            if (parts is [RoutePatternParameterPart { IsCatchAll: true }])
            {
                return true;
            }

            if (i >= segments.Length)
            {
                return parts is [RoutePatternParameterPart { IsOptional: true }];
            }

            if (parts is [RoutePatternLiteralPart literal] && !string.Equals(literal.Content, segments[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return segments.Length == pattern.Count;
    }

    private static bool NamesField(string problem, string field)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            return document.RootElement.TryGetProperty("field", out var named) && named.ValueKind == JsonValueKind.String && named.GetString() is { Length: > 0 } name && (field == "*" || name == field);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task<HttpRequestMessage> RequestAsync(RouteEntry route, string path, string? contentType, byte[]? body)
    {
        var uri = new Uri(_app.BaseUrl.AbsoluteUri.TrimEnd('/') + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(new HttpMethod(route.Method), uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (route.IsWebhook && route.Method == "POST" && WebhookSigning.SignatureField.ContainsKey(route.Pattern))
        {
            await _signing.SignAsync(route.Pattern, request);
        }

        return request;
    }

    private HttpRequestMessage Oversize(RouteEntry route, bool chunked)
    {
        var huge = Utf8("{\"message\":\"" + new string('a', MaxBody + 1024) + "\"}");
        var request = new HttpRequestMessage(new HttpMethod(route.Method), _app.BaseUrl.AbsoluteUri.TrimEnd('/') + ValidPath(route));
        request.Content = chunked ? new StreamContent(new MemoryStream(huge)) : new ByteArrayContent(huge);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        // As careful clients do: announce the body and wait, so the refusal arrives before the upload.
        request.Headers.ExpectContinue = true;
        return request;
    }

    private string ValidPath(RouteEntry route) => route.PathWith(p => ValidValue(route, p));

    /// <summary>An id that exists where the corpus made one, so a case reaches the handler's validation.</summary>
    private string ValidValue(RouteEntry route, string parameter) => parameter switch
    {
        "clientId" => "demo",
        "documentName" => "v1",
        "path" => "index.html",
        "id" when route.Pattern.StartsWith("/api/leads/", StringComparison.Ordinal) => _leadId,
        "id" when route.Pattern.StartsWith("/api/conversations/", StringComparison.Ordinal) => _conversationId,
        "id" when route.Pattern.StartsWith("/api/knowledge/bases/", StringComparison.Ordinal) => _baseId,
        _ => "x1",
    };

    private static string? KeyOf(RouteEntry route) => route.Key switch
    {
        BearerKeyRequirement k when k == BearerKeyRequirement.AdminKey => AdminKey,
        null => null,
        _ => SalesFlowAppProcess.ApiKey,
    };

    private HttpClient Client(RouteEntry route) => route.Key switch
    {
        BearerKeyRequirement k when k == BearerKeyRequirement.AdminKey => _admin,
        null => _anonymous,
        _ => _client,
    };

    private HttpClient Client(string? key)
    {
        // Header values go out as UTF-8 (HttpClient refuses anything but ASCII otherwise), as a hostile client may send them.
        var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        var http = new HttpClient(handler) { BaseAddress = _app.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    private static string MediaType(string contentType) => contentType.Split(';')[0].Trim();

    private static string Describe(string value) => value.Length > 40 ? $"{value.Length} chars" : JsonSerializer.Serialize(value);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

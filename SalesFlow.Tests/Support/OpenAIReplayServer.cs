using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SalesFlow.Tests.Support;

/// <summary>One scripted answer: status, content type, body, extra headers; SSE bodies are written in pieces, <see cref="EventDelay"/> apart.</summary>
public sealed record ReplayResponse(int Status, string ContentType, string Body, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default, TimeSpan EventDelay = default)
{
    /// <summary>The status, headers and the first half of the body go out, then the connection closes (a reset mid-response).</summary>
    public bool ResetMidResponse { get; init; }

    public static ReplayResponse Json(int status, string body, IReadOnlyDictionary<string, string>? headers = null) => new(status, "application/json", body, headers);
}

/// <summary>A request the server received.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The query string, "?api-version=…" for Azure OpenAI.</summary>
    public string Query { get; init; } = string.Empty;

    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 that answers like api.openai.com from the recorded exchanges in
/// Fixtures/Api/openai (openai-dotnet's session records and the long SSE streams). Each path has a queue of scripted
/// answers, served in order; the last one repeats. Every request is kept for the test to inspect.
/// </summary>
public sealed class OpenAIReplayServer : IAsyncDisposable
{
    public static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Api", "openai");

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ReplayResponse>> _scripts = new();
    private readonly ConcurrentDictionary<string, ReplayResponse> _last = new();

    private OpenAIReplayServer(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>The base URL to give the SDK (…/v1/).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public int Count(string pathSuffix) => Received.Count(r => r.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    /// <param name="https">Serve TLS with a throw-away self-signed certificate (bearer tokens are only sent over https); trust it with <see cref="TrustingHandler"/>.</param>
    public static async Task<OpenAIReplayServer> StartAsync(bool https = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (https)
        {
            var certificate = SelfSignedCertificate();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        }
        else
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }

        var app = builder.Build();
        var server = new OpenAIReplayServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    /// <summary>A network handler that accepts the replay server's self-signed certificate.</summary>
    public static HttpMessageHandler TrustingHandler() => new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    };

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSignedCertificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    /// <summary>Queues answers for requests whose path ends with <paramref name="pathSuffix"/> ("/chat/completions", "/embeddings").</summary>
    public OpenAIReplayServer Script(string pathSuffix, params ReplayResponse[] responses)
    {
        var queue = _scripts.GetOrAdd(pathSuffix, _ => new ConcurrentQueue<ReplayResponse>());
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }

        return this;
    }

    /// <summary>The recorded answer of a session record entry (status, JSON body or SSE stream).</summary>
    public static ReplayResponse FromRecord(string file, int entry = 0)
    {
        var record = LoadRecord(file)["Entries"]![entry]!;
        var status = record["StatusCode"]!.GetValue<int>();
        var body = record["ResponseBody"]!;
        if (body is JsonArray lines)
        {
            // Streamed answers are stored as the SSE lines.
            return new ReplayResponse(status, "text/event-stream", string.Concat(lines.Select(l => l!.GetValue<string>())));
        }

        return ReplayResponse.Json(status, body.ToJsonString());
    }

    /// <summary>
    /// A streamed chat completion in the recorded wire format (role chunk, one chunk per piece, finish chunk, the final
    /// usage chunk with no choices, [DONE]), for answers the recordings do not hold.
    /// </summary>
    public static ReplayResponse StreamOf(IEnumerable<string> pieces, int promptTokens, int completionTokens, string model = "gpt-4o-mini-2024-07-18", TimeSpan eventDelay = default)
    {
        static string Chunk(string model, JsonNode choices, JsonNode? usage) => "data: " + new JsonObject
        {
            ["id"] = "chatcmpl-replay",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1770950778,
            ["model"] = model,
            ["choices"] = choices,
            ["usage"] = usage,
        }.ToJsonString() + "\n\n";

        static JsonArray Delta(JsonObject delta, string? finish) =>
            [new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }];

        var body = new StringBuilder(Chunk(model, Delta(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null), null));
        foreach (var piece in pieces)
        {
            body.Append(Chunk(model, Delta(new JsonObject { ["content"] = piece }, null), null));
        }

        body.Append(Chunk(model, Delta(new JsonObject(), "stop"), null));
        body.Append(Chunk(model, new JsonArray(), new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens }));
        body.Append("data: [DONE]\n\n");
        return new ReplayResponse(200, "text/event-stream", body.ToString(), EventDelay: eventDelay);
    }

    /// <summary>A chat completion (non-streamed) answering <paramref name="content"/>, in the recorded format.</summary>
    public static ReplayResponse CompletionOf(string content, int promptTokens, int completionTokens)
    {
        var body = JsonNode.Parse(FromRecord("ChatTests_HelloWorldChat.json").Body)!;
        body["choices"]![0]!["message"]!["content"] = content;
        body["usage"]!["prompt_tokens"] = promptTokens;
        body["usage"]!["completion_tokens"] = completionTokens;
        body["usage"]!["total_tokens"] = promptTokens + completionTokens;
        return ReplayResponse.Json(200, body.ToJsonString());
    }

    /// <summary>A raw .sse recording served as text/event-stream.</summary>
    public static ReplayResponse FromSse(string file) => new(200, "text/event-stream", File.ReadAllText(Path.Combine(FixtureDir, file)));

    public static JsonNode LoadRecord(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureDir, "session-records", file)))!;

    /// <summary>The request body the SDK sent when the exchange was recorded.</summary>
    public static JsonNode RecordedRequest(string file, int entry = 0) => LoadRecord(file)["Entries"]![entry]!["RequestBody"]!;

    public static ReplayResponse Error(int status, string message = "scripted failure", string type = "server_error", IReadOnlyDictionary<string, string>? headers = null) =>
        ReplayResponse.Json(status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = null } }.ToJsonString(), headers);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = context.Request.Path.Value ?? "/";
        Received.Enqueue(new ReceivedRequest(context.Request.Method, path, headers, body) { Query = context.Request.QueryString.Value ?? string.Empty });

        var key = _scripts.Keys.Where(k => path.EndsWith(k, StringComparison.Ordinal)).OrderByDescending(k => k.Length).FirstOrDefault();
        ReplayResponse? response = null;
        if (key is not null)
        {
            if (_scripts[key].TryDequeue(out var next))
            {
                _last[key] = next;
                response = next;
            }
            else
            {
                _last.TryGetValue(key, out response);
            }
        }

        response ??= Error(404, $"No scripted answer for {path}", "invalid_request_error");
        if (response.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(response.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.ContentType == "text/event-stream")
        {
            // Event by event, flushed, as the service streams them.
            foreach (var evt in response.Body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            {
                await context.Response.WriteAsync(evt + "\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (response.EventDelay > TimeSpan.Zero)
                {
                    await Task.Delay(response.EventDelay, context.RequestAborted);
                }
            }

            return;
        }

        if (response.ResetMidResponse)
        {
            await context.Response.WriteAsync(response.Body[..(response.Body.Length / 2)], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        await context.Response.WriteAsync(response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Helpers shared by the replay tests.</summary>
public static class ReplayJson
{
    public static bool SameJson(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    public static string Pretty(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";
}

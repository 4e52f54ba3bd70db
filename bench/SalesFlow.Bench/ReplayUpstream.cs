using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SalesFlow.Bench;

/// <summary>
/// An OpenAI stand-in on 127.0.0.1 in the manner of the tests' OpenAIReplayServer: it answers the structured-extraction
/// call with a fixed JSON analysis and every streamed call with the first <c>pieces</c> content chunks of the recorded
/// gpt-4o-mini stream (chat_stream_long_gpt-4o-mini.sse) plus its recorded usage chunk, paced like a model: a fixed time
/// to first token, then a fixed gap per chunk. It logs when each streamed request arrived, so the bench can check the
/// app's own timeline against what the upstream saw.
/// </summary>
public sealed class ReplayUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string[] _events;
    private readonly TimeSpan _ttft;
    private readonly TimeSpan _gap;

    private ReplayUpstream(WebApplication app, string[] events, TimeSpan ttft, TimeSpan gap)
    {
        _app = app;
        _events = events;
        _ttft = ttft;
        _gap = gap;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public int StreamedChunks => _events.Length;

    public static async Task<ReplayUpstream> StartAsync(string recordedSse, int pieces, TimeSpan ttft, TimeSpan gap)
    {
        var all = File.ReadAllText(recordedSse).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var content = all.Where(e => e.Contains("\"content\":", StringComparison.Ordinal) && !e.Contains("\"role\"", StringComparison.Ordinal)).Take(pieces);
        var usage = all.Last(e => e.Contains("\"usage\":{", StringComparison.Ordinal));
        string[] events = [all[0], .. content, usage, "data: [DONE]"];

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new ReplayUpstream(app, events, ttft, gap);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return upstream;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
        if (body["stream"]?.GetValue<bool>() != true)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Analysis, context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await Task.Delay(_ttft, context.RequestAborted);
        for (var i = 0; i < _events.Length; i++)
        {
            if (i > 0)
            {
                await Task.Delay(_gap, context.RequestAborted);
            }

            await context.Response.WriteAsync(_events[i] + "\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static readonly string Analysis = new JsonObject
    {
        ["id"] = "chatcmpl-bench",
        ["object"] = "chat.completion",
        ["created"] = 1770950778,
        ["model"] = "gpt-4o-mini-2024-07-18",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = """{"language":"en","intent":"question","intent_confidence":0.9,"sentiment":"positive","sentiment_score":0.4,"suggested_state":null,"suggested_state_confidence":0,"bant":{"budget":{"score":0,"evidence":null},"authority":{"score":0,"evidence":null},"need":{"score":0.6,"evidence":"we lose track of customers"},"timeline":{"score":0,"evidence":null}},"disc":{"dominance":0,"influence":0.5,"steadiness":0,"conscientiousness":0.3},"facts":{"name":null,"company":null,"role":null,"budget":null,"timeline":null,"pain_points":["losing track of customers"],"email":null}}""",
            },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 310, ["completion_tokens"] = 90, ["total_tokens"] = 400 },
    }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace SalesFlow.Tests.Support;

/// <summary>One server-sent event as it arrived: name, JSON data and milliseconds since the request was sent.</summary>
public sealed record ServerSentEvent(string Name, JsonElement Data, double ArrivedMs);

/// <summary>The events of one text/event-stream response.</summary>
public sealed record SseResponse(string ContentType, IReadOnlyList<ServerSentEvent> Events, double HeadersMs = 0)
{
    public IReadOnlyList<ServerSentEvent> Tokens => Events.Where(e => e.Name == "token").ToList();

    public string Text => string.Concat(Tokens.Select(t => t.Data.GetProperty("text").GetString()));

    public ServerSentEvent Done => Assert.Single(Events, e => e.Name == "done");
}

/// <summary>Posts JSON and reads the event stream line by line as it arrives (headers first, body as it is flushed).</summary>
public static class SseClient
{
    /// <remarks>Runs off the test framework's synchronisation context, so arrival times are when the bytes came, not when a test thread was free.</remarks>
    public static Task<SseResponse> PostSseAsync(this HttpClient http, string url, object body) => Task.Run(() => ReadAsync(http, url, body));

    private static async Task<SseResponse> ReadAsync(HttpClient http, string url, object body)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var headersMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            // Read the body only on failure: reading it for the message would wait for the whole stream.
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        var events = new List<ServerSentEvent>();
        string? name = null;
        string? data = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && name is not null && data is not null)
            {
                events.Add(new ServerSentEvent(name, JsonDocument.Parse(data).RootElement.Clone(), Stopwatch.GetElapsedTime(started).TotalMilliseconds));
                name = data = null;
            }
        }

        return new SseResponse(response.Content.Headers.ContentType?.MediaType ?? "", events, headersMs);
    }
}

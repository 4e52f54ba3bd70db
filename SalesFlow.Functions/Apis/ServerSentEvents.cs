using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// Writes a text/event-stream response: one <c>event:</c> line and one JSON <c>data:</c> line per event (JSON keeps new
/// lines in a token from breaking the framing), flushed at once so each token leaves the process as it is written.
/// </summary>
public sealed class ServerSentEvents(HttpResponse response)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public static ServerSentEvents Start(HttpContext http)
    {
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // proxies (nginx, the Functions front end) must not hold events back
        return new ServerSentEvents(http.Response);
    }

    public async Task WriteAsync(string eventName, object data, CancellationToken ct)
    {
        var payload = $"event: {eventName}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n";
        await _gate.WaitAsync(ct);
        try
        {
            await response.WriteAsync(payload, ct);
            await response.Body.FlushAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }
}

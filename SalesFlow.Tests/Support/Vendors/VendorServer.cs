using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SalesFlow.Tests.Support.Vendors;

/// <summary>One scripted answer of a vendor server: status, JSON body (null: empty), extra headers, and how long it takes.</summary>
public sealed record VendorResponse(int Status, string? Json = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default)
{
    /// <summary>A body that is not the vendor's JSON (an HTML error page, a cut-off document), sent as <see cref="ContentType"/>; wins over <see cref="Json"/>.</summary>
    public string? RawBody { get; init; }

    public string ContentType { get; init; } = "application/json";

    /// <summary>The server sends the status, headers and the start of the body, then closes the connection (a reset mid-response).</summary>
    public bool ResetMidResponse { get; init; }

    /// <summary>
    /// The vendor acts on the request (the subclass's success: a record created, a message taken) and then answers with
    /// this instead of its success: the lost or unreadable answer to work that was done.
    /// </summary>
    public bool AfterActing { get; init; }

    /// <summary>A proxy's or load balancer's HTML error page instead of the vendor's JSON.</summary>
    public static VendorResponse HtmlPage(int status, IReadOnlyDictionary<string, string>? headers = null) => new(status, null, headers)
    {
        RawBody = $"<!DOCTYPE html><html><head><title>{status} Error</title></head><body><h1>{status}</h1><p>The server encountered a temporary error.</p></body></html>",
        ContentType = "text/html; charset=utf-8",
    };

    /// <summary>A body declared as JSON that does not parse (cut off, garbage).</summary>
    public static VendorResponse InvalidJson(int status, IReadOnlyDictionary<string, string>? headers = null) => new(status, null, headers)
    {
        RawBody = "{\"id\": \"4711\", \"status\": ",
    };

    /// <summary>Headers and half a success body, then the connection closes: the vendor may have acted, the caller has no answer.</summary>
    public static VendorResponse ConnectionReset(int status = 200) => new(status, """{"id":"half-an-answ""") { ResetMidResponse = true };
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 that speaks one vendor's API: the subclass routes and authenticates like the
/// vendor and answers success in the vendor's shape; <see cref="Enqueue"/> scripts the next answers (errors, throttling)
/// for calls that pass authentication. Every request is recorded, the rejected ones too.
/// </summary>
public abstract class VendorServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<VendorResponse> _scripted = new();
    private readonly ConcurrentQueue<(Func<ReceivedRequest, bool> When, VendorResponse Response)> _targeted = new();
    private readonly Lock _arrivals = new();
    private WebApplication _app = null!;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The base URL as a setting value (no trailing slash).</summary>
    public string BaseUrlSetting => BaseUrl.ToString().TrimEnd('/');

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>When each request of <see cref="Received"/> arrived, in the same order (for "no sooner than Retry-After").</summary>
    public ConcurrentQueue<DateTimeOffset> ReceivedAt { get; } = new();

    /// <summary>
    /// The requests answered in full with a 2xx: what the vendor acted on (a message sent, a record created). A call the
    /// caller gave up on, or whose answer was cut, is not counted: in these tests the vendor had not acted on it.
    /// </summary>
    public ConcurrentQueue<ReceivedRequest> Effects { get; } = new();

    /// <summary>How long every success answer takes (a slow vendor widens the window a crash can hit mid-call).</summary>
    public TimeSpan SuccessDelay { get; set; }

    /// <summary>The next answers to authenticated calls, in order; afterwards the vendor's success again.</summary>
    public void Enqueue(params VendorResponse[] responses)
    {
        foreach (var response in responses)
        {
            _scripted.Enqueue(response);
        }
    }

    /// <summary>
    /// The next answers to the authenticated calls that match <paramref name="when"/> (e.g. only the create of a record),
    /// in order, before any <see cref="Enqueue"/>d ones; other calls pass.
    /// </summary>
    public void EnqueueWhen(Func<ReceivedRequest, bool> when, params VendorResponse[] responses)
    {
        foreach (var response in responses)
        {
            _targeted.Enqueue((when, response));
        }
    }

    private VendorResponse? NextScripted(ReceivedRequest request)
    {
        lock (_targeted)
        {
            if (_targeted.TryPeek(out var next) && next.When(request) && _targeted.TryDequeue(out var taken))
            {
                return taken.Response;
            }
        }

        return _scripted.TryDequeue(out var scripted) ? scripted : null;
    }

    protected static async Task<T> StartAsync<T>(T server)
        where T : VendorServer
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server._app = app;
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>The vendor's answer to a request that is not for it (wrong path or method), to a missing or wrong credential, or null when it may pass.</summary>
    protected abstract VendorResponse? Reject(ReceivedRequest request);

    /// <summary>The vendor's success answer to an accepted request.</summary>
    protected abstract VendorResponse Success(ReceivedRequest request);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "", headers, body) { Query = context.Request.QueryString.Value ?? "" };
        lock (_arrivals)
        {
            // One lock so Received and ReceivedAt stay in the same order.
            Received.Enqueue(request);
            ReceivedAt.Enqueue(DateTimeOffset.UtcNow);
        }

        var answer = Reject(request) ?? NextScripted(request) ?? Success(request) with { Delay = SuccessDelay };
        if (answer.AfterActing)
        {
            _ = Success(request);
            Effects.Enqueue(request);
        }

        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // The caller gave up (its timeout): nothing to answer.
            }
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.ResetMidResponse)
        {
            // The start of the body reaches the wire, the rest never does: the client sees the connection end mid-answer.
            await context.Response.WriteAsync(answer.Json ?? answer.RawBody ?? "{");
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }

        if ((answer.RawBody ?? answer.Json) is { } content)
        {
            context.Response.ContentType = answer.RawBody is null ? "application/json" : answer.ContentType;
            await context.Response.WriteAsync(content);
        }

        if (answer.Status is >= 200 and < 300 && !answer.AfterActing)
        {
            Effects.Enqueue(request);
        }
    }

    /// <summary>The credentials of a Basic Authorization header, or null.</summary>
    protected static (string User, string Password)? BasicCredentials(ReceivedRequest request)
    {
        if (!request.Headers.TryGetValue("Authorization", out var value) || !AuthenticationHeaderValue.TryParse(value, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        var colon = decoded.IndexOf(':');
        return colon < 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
    }

    /// <summary>The token of a Bearer Authorization header, or null.</summary>
    protected static string? BearerToken(ReceivedRequest request) =>
        request.Headers.TryGetValue("Authorization", out var value) && AuthenticationHeaderValue.TryParse(value, out var header)
            && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter
            : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

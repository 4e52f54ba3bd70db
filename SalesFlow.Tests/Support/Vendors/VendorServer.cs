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
public sealed record VendorResponse(int Status, string? Json = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default);

/// <summary>
/// A real Kestrel server on 127.0.0.1 that speaks one vendor's API: the subclass routes and authenticates like the
/// vendor and answers success in the vendor's shape; <see cref="Enqueue"/> scripts the next answers (errors, throttling)
/// for calls that pass authentication. Every request is recorded, the rejected ones too.
/// </summary>
public abstract class VendorServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<VendorResponse> _scripted = new();
    private WebApplication _app = null!;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The base URL as a setting value (no trailing slash).</summary>
    public string BaseUrlSetting => BaseUrl.ToString().TrimEnd('/');

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

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
        Received.Enqueue(request);

        var answer = Reject(request) ?? (_scripted.TryDequeue(out var scripted) ? scripted : Success(request) with { Delay = SuccessDelay });
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

        if (answer.Json is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Json);
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

using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SalesFlow.Tests.Support;

/// <summary>One OTLP/HTTP export the receiver got: its path (/v1/metrics, /v1/traces, /v1/logs) and protobuf body.</summary>
public sealed record OtlpExport(string Path, string ContentType, byte[] Body)
{
    /// <summary>Protobuf keeps strings as raw UTF-8, so a metric name, attribute or service name is found as bytes.</summary>
    public bool Contains(string text) => Occurrences(text) > 0;

    public int Occurrences(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        var count = 0;
        for (var rest = Body.AsSpan(); rest.IndexOf(needle) is var at and >= 0; rest = rest[(at + needle.Length)..])
        {
            count++;
        }

        return count;
    }
}

/// <summary>A real Kestrel server on 127.0.0.1 that accepts OTLP/HTTP protobuf exports and keeps them for the test.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<OtlpExport> Received { get; } = new();

    /// <summary>The value for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/&lt;signal&gt;).</summary>
    public string Endpoint { get; private set; } = "";

    public IEnumerable<OtlpExport> Exports(string signal) => Received.Where(e => e.Path == "/v1/" + signal);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver.Received.Enqueue(new OtlpExport(context.Request.Path.Value ?? "", context.Request.ContentType ?? "", body.ToArray()));
            // An empty Export*ServiceResponse: full success.
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        receiver.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

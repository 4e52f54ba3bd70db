using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SalesFlow.Bench;

/// <summary>
/// Meta's Graph API for WhatsApp Cloud API sends, as far as the reply bench needs it:
/// <c>POST /{version}/{phone-number-id}/messages</c> with the configured bearer token answers Meta's success shape
/// (<c>messages[0].id</c> a wamid). Every accepted send is stamped on arrival (<see cref="Stopwatch"/> ticks, the same
/// clock the bench stamps its webhooks with) and handed to whoever waits for that recipient.
/// </summary>
public sealed class GraphStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Channel<long>> _arrivals = new();
    private int _rejected;

    private GraphStub(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Sends refused (wrong path or token): a wiring fault, reported by the bench.</summary>
    public int Rejected => _rejected;

    public static async Task<GraphStub> StartAsync(string phoneNumberId, string accessToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new GraphStub(app);
        app.MapPost("/{version}/{phoneNumberId}/messages", async (HttpContext http, string phoneNumberId) =>
        {
            var arrived = Stopwatch.GetTimestamp();
            var body = await JsonNode.ParseAsync(http.Request.Body);
            var to = body?["to"]?.GetValue<string>();
            if (phoneNumberId != stub.PhoneNumberId || http.Request.Headers.Authorization != "Bearer " + stub.AccessToken || to is null)
            {
                Interlocked.Increment(ref stub._rejected);
                return Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = "Invalid OAuth access token", ["type"] = "OAuthException", ["code"] = 190 } }, statusCode: 401);
            }

            stub.For(to).Writer.TryWrite(arrived);
            var reply = new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = to.TrimStart('+') }),
                ["messages"] = new JsonArray(new JsonObject { ["id"] = "wamid." + Guid.NewGuid().ToString("N") }),
            };
            return Results.Text(reply.ToJsonString(), "application/json");
        });
        stub.PhoneNumberId = phoneNumberId;
        stub.AccessToken = accessToken;
        await app.StartAsync();
        stub.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return stub;
    }

    private string PhoneNumberId { get; set; } = "";

    private string AccessToken { get; set; } = "";

    /// <summary>The next send to <paramref name="recipient"/> (its arrival in Stopwatch ticks), or null after <paramref name="timeout"/>.</summary>
    public async Task<long?> NextAsync(string recipient, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await For(recipient).Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends that arrived for <paramref name="recipient"/> and nobody has taken yet (a second reply to one message shows here).</summary>
    public int Unclaimed(string recipient) => For(recipient).Reader.Count;

    private Channel<long> For(string recipient) => _arrivals.GetOrAdd(recipient, _ => Channel.CreateUnbounded<long>());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

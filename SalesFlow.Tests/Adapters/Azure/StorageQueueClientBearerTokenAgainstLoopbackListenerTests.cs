using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Microsoft.Extensions.Configuration;
using SalesFlow.Infrastructure.Azure.StorageQueues;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>
/// Azurite accepts bearer tokens only over HTTPS with its own certificate, so the Entra path is
/// checked against a real loopback HTTP listener that records what arrives.
/// </summary>
public sealed class StorageQueueClientBearerTokenAgainstLoopbackListenerTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Method, string Url, string? Authorization, string? Version, string? Date)> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Uri _endpoint;

    public StorageQueueClientBearerTokenAgainstLoopbackListenerTests()
    {
        var port = FreePort();
        _endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(_endpoint.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }

    [Fact]
    public async Task EveryRequestCarriesABearerTokenForTheStorageScopeFetchedOnce()
    {
        var credential = new CountingCredential();
        using var http = new HttpClient();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:queueServiceUri"] = _endpoint.ToString(),
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        }).Build();
        var client = StorageQueueClient.FromConfiguration(config, http, credential: credential);

        Assert.True(await client.CreateIfNotExistsAsync("orders", default));
        Assert.True(await client.CreateIfNotExistsAsync("orders-poison", default));

        Assert.Equal(2, _requests.Count);
        Assert.All(_requests, r =>
        {
            Assert.Equal("PUT", r.Method);
            Assert.Equal("Bearer token-1", r.Authorization);
            Assert.Equal(StorageQueueClient.ApiVersion, r.Version);
            Assert.False(string.IsNullOrEmpty(r.Date));
        });
        Assert.Equal(1, credential.Calls);
        Assert.Equal([StorageQueueClient.TokenScope], credential.Scopes);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var request = context.Request;
            _requests.Enqueue((request.HttpMethod, request.Url!.ToString(), request.Headers["Authorization"], request.Headers["x-ms-version"], request.Headers["x-ms-date"]));
            context.Response.StatusCode = 201;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class CountingCredential : TokenCredential
    {
        public int Calls { get; private set; }

        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            Scopes = requestContext.Scopes;
            return new AccessToken("token-" + Calls, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Infrastructure.Azure.StorageQueues;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>
/// The managed-identity path of the Storage queue settings, through the SDK. Azurite accepts bearer tokens
/// only over HTTPS with a certificate and a JWT of its own, and the SDK sends tokens only over HTTPS, so the
/// path is checked against a real loopback HTTPS server (Kestrel, a self-signed certificate the test trusts)
/// that answers in the Queue service's XML and records what arrives.
/// </summary>
public sealed class StorageQueueManagedIdentityAgainstLoopbackListenerTests : IAsyncLifetime
{
    private const string StorageScope = "https://storage.azure.com/.default";

    private readonly ConcurrentQueue<(string Method, string Path, string? Authorization, string? Version, string Body)> _requests = new();
    private readonly X509Certificate2 _certificate = SelfSigned();
    private WebApplication _server = null!;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        _server = builder.Build();
        _server.Run(AnswerAsync);
        await _server.StartAsync();
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _endpoint = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task EveryRequestCarriesABearerTokenForTheStorageScopeFetchedOnce()
    {
        var credential = new CountingCredential();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:queueServiceUri"] = _endpoint.ToString(),
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        }).Build();
        var clientOptions = StorageQueueOptions.ClientOptions();
        clientOptions.Transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _certificate.Thumbprint,
        });
        var queue = new StorageQueueWorkQueue(StorageQueueOptions.FromConfiguration(config).CreateServiceClient(credential, clientOptions));

        await queue.EnqueueAsync("orders", "hello", TimeSpan.Zero, null, default);
        await queue.EnqueueAsync("orders-poison", "again", TimeSpan.Zero, null, default);

        Assert.Equal(["PUT /orders", "POST /orders/messages", "PUT /orders-poison", "POST /orders-poison/messages"], _requests.Select(r => r.Method + " " + r.Path));
        Assert.All(_requests, r =>
        {
            Assert.Equal("Bearer token-1", r.Authorization);
            Assert.False(string.IsNullOrEmpty(r.Version));
        });
        Assert.Contains("<MessageText>" + Convert.ToBase64String(Encoding.UTF8.GetBytes("hello")) + "</MessageText>", _requests.ElementAt(1).Body);
        Assert.Equal(1, credential.Calls);
        Assert.Equal([StorageScope], credential.Scopes);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = context.Request;
        _requests.Enqueue((request.Method, request.Path.Value ?? "", request.Headers.Authorization.FirstOrDefault(), request.Headers["x-ms-version"].FirstOrDefault(), body));
        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        if (request.Method == "PUT")
        {
            context.Response.StatusCode = 201; // Create Queue
            return;
        }

        // Put Message answers with the new message (https://learn.microsoft.com/rest/api/storageservices/put-message).
        var now = DateTimeOffset.UtcNow.ToString("R");
        context.Response.StatusCode = 201;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList><QueueMessage><MessageId>{Guid.NewGuid()}</MessageId>" +
            $"<InsertionTime>{now}</InsertionTime><ExpirationTime>Fri, 31 Dec 9999 23:59:59 GMT</ExpirationTime><PopReceipt>AgAAAAMAAAAAAAAA</PopReceipt>" +
            $"<TimeNextVisible>{now}</TimeNextVisible></QueueMessage></QueueMessagesList>");
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
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

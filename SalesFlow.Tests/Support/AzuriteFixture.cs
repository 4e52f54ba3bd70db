using Azure.Storage.Queues;
using SalesFlow.Infrastructure.Azure.StorageQueues;

namespace SalesFlow.Tests.Support;

/// <summary>
/// A real Azurite queue service (tools/test-services, in memory) on a free loopback port, shared by
/// a test collection (each test uses its own queue names). The start-up wait is 60 s (Node starts Azurite in a few
/// seconds, but a loaded 2-core CI machine took more than 15; waiting longer costs nothing when it is quick);
/// <c>SALESFLOW_AZURITE_START_SECONDS</c> lengthens it on a slow machine.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Collection = "Azurite";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("SALESFLOW_AZURITE_START_SECONDS"), out var seconds) && seconds > 0 ? seconds : 60);

    private LocalServerProcess? _server;

    public int Port => _server?.Port ?? throw new InvalidOperationException("Azurite is not started.");

    /// <summary>Azurite's well-known account (public, documented; it protects nothing).</summary>
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Connection string of Azurite's well-known account on this instance (UseDevelopmentStorage=true means port 10001).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};QueueEndpoint=http://127.0.0.1:{Port}/{AccountName};";

    public string Output => _server?.Output ?? "";

    /// <summary>An SDK client of this Azurite, configured as the app configures it (base64 messages).</summary>
    public QueueServiceClient NewServiceClient() => new(ConnectionString, StorageQueueOptions.ClientOptions());

    /// <summary>An SDK client that neither encodes nor decodes: it sees the message text as it is on the wire.</summary>
    public QueueServiceClient NewRawServiceClient() => new(ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    /// <summary>A fresh queue name nobody else uses.</summary>
    public static string NewQueueName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    public async Task InitializeAsync()
    {
        var azurite = Path.Combine(TestServices.Directory, "node_modules", ".bin", "azurite-queue");
        await TestServices.EnsureInstalledAsync(azurite);
        _server = await LocalServerProcess.StartAsync(
            "azurite-queue",
            azurite,
            port => ["--queueHost", "127.0.0.1", "--queuePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry"],
            StartTimeout);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;

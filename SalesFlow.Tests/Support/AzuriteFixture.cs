using SalesFlow.Infrastructure.Azure.StorageQueues;

namespace SalesFlow.Tests.Support;

/// <summary>
/// A real Azurite queue service (tools/test-services, in memory) on a free loopback port, shared by
/// a test collection (each test uses its own queue names). The start-up wait is 15 s;
/// <c>SALESFLOW_AZURITE_START_SECONDS</c> lengthens it on a slow machine.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Collection = "Azurite";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("SALESFLOW_AZURITE_START_SECONDS"), out var seconds) && seconds > 0 ? seconds : 15);

    private LocalServerProcess? _server;

    public int Port => _server?.Port ?? throw new InvalidOperationException("Azurite is not started.");

    /// <summary>Shared Key connection string of Azurite's well-known account on this instance.</summary>
    public string ConnectionString => StorageConnectionString.ForAzurite(Port);

    public Uri QueueEndpoint => new($"http://127.0.0.1:{Port}/{StorageConnectionString.DevelopmentAccountName}");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Output => _server?.Output ?? "";

    /// <summary>A client of this Azurite, authorized with the well-known account key.</summary>
    public StorageQueueClient NewClient() => StorageQueueClient.FromConnectionString(ConnectionString, Http);

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

        Http.Dispose();
    }
}

[CollectionDefinition(AzuriteFixture.Collection)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;

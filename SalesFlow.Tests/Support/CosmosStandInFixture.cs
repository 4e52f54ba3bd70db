using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Core.Observability;

namespace SalesFlow.Tests.Support;

/// <summary>
/// The Cosmos DB stand-in (<c>@vercel/cosmosdb-server</c> 1.0.1, in-memory, plain http) on a free
/// loopback port, installed into <c>tools/test-services</c> by npm on first use. One per test
/// collection; each test creates its own database in it.
/// </summary>
public sealed class CosmosStandInFixture : IAsyncLifetime
{
    /// <summary>The emulator's well-known key; the stand-in accepts any key, the SDK needs a valid base64 one.</summary>
    public const string WellKnownKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private LocalServerProcess? _server;

    public int Port => _server?.Port ?? throw new InvalidOperationException("The Cosmos stand-in is not started.");

    public string ConnectionString => $"AccountEndpoint=http://127.0.0.1:{Port}/;AccountKey={WellKnownKey};";

    /// <summary>Deletes a test's database and disposes its client (nothing when the test never created one).</summary>
    public static async Task DropAsync(CosmosStores? stores)
    {
        if (stores is not null)
        {
            await stores.Client.GetDatabase(stores.Options.DatabaseName).DeleteAsync();
            stores.Dispose();
        }
    }

    /// <summary>A fresh database of the adapter (created with its containers) in the running stand-in.</summary>
    public async Task<CosmosStores> CreateStoresAsync(string? databaseName = null)
    {
        while (true)
        {
            var stores = CosmosStoreFactory.Create(new CosmosOptions
            {
                ConnectionString = ConnectionString,
                DatabaseName = databaseName ?? "test-" + Guid.NewGuid().ToString("N")[..12],
            }, new RuntimeHealth());
            await stores.InitializeAsync(CancellationToken.None);

            // The stand-in numbers databases in order and base64-encodes the number into the resource id; every 64th
            // (the 63rd, 127th, …) gets a '/' in it, and the stand-in's router then answers its partition key ranges
            // with 404, so every query fails ("stale cache"). Such a database is dropped and another one made; a
            // caller that named its database gets it anyway (a second one of that name cannot be made).
            var database = stores.Client.GetDatabase(stores.Options.DatabaseName);
            var selfLink = (await database.ReadAsync()).Resource.SelfLink;
            if (databaseName is not null || selfLink.Count(c => c == '/') <= 2)
            {
                return stores;
            }

            await database.DeleteAsync();
            stores.Dispose();
        }
    }

    public async Task InitializeAsync()
    {
        var cli = Path.Combine(TestServices.Directory, "node_modules", "@vercel", "cosmosdb-server", "lib", "cli.js");
        await TestServices.EnsureInstalledAsync(cli);
        _server = await LocalServerProcess.StartAsync(
            "the Cosmos stand-in",
            "node",
            port => [cli, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-ssl"],
            StartTimeout,
            TestServices.Directory);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CosmosStandInCollection : ICollectionFixture<CosmosStandInFixture>
{
    public const string Name = "Cosmos stand-in";
}

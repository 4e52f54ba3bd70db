using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Core.Observability;

namespace SalesFlow.Tests.Adapters.Azure;

public sealed class CosmosStoreFactoryTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            // Functions app settings arrive as environment variables with "__"; configuration sees "CosmosDb:…".
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key.Replace("__", ":", StringComparison.Ordinal), s.Value)))
            .Build();

    private static CosmosStores Create(IConfiguration configuration) => CosmosStoreFactory.Create(configuration, new RuntimeHealth());

    [Fact]
    public void NothingConfiguredNamesBothWaysToConfigure()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Create(Config()));

        Assert.Contains("CosmosDb__accountEndpoint", e.Message);
        Assert.Contains("CosmosDb__connectionString", e.Message);
        Assert.False(CosmosStoreFactory.IsConfigured(Config()));
    }

    [Fact]
    public void AnEndpointWithoutManagedIdentityNamesTheCredentialSetting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Create(Config(("CosmosDb__accountEndpoint", "https://acct.documents.azure.com:443/"))));

        Assert.Contains("CosmosDb__credential", e.Message);
    }

    [Fact]
    public void AConnectionStringWithoutAnEndpointIsRejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Create(Config(("CosmosDb__connectionString", "AccountKey=abc;"))));

        Assert.Contains("CosmosDb__connectionString", e.Message);
    }

    [Fact]
    public void ManagedIdentitySettingsBuildAClientForTheEndpoint()
    {
        using var stores = Create(Config(
            ("CosmosDb__accountEndpoint", "https://acct.documents.azure.com:443/"),
            ("CosmosDb__credential", "managedidentity"),
            ("CosmosDb__clientId", "00000000-0000-0000-0000-000000000001"),
            ("CosmosDb__databaseName", "sales")));

        Assert.Equal(new Uri("https://acct.documents.azure.com:443/"), stores.Client.Endpoint);
        Assert.Equal("sales", stores.Options.DatabaseName);
        Assert.Equal("sales", stores.Containers.Leads.Database.Id);
        Assert.True(CosmosStoreFactory.IsConfigured(Config(("CosmosDb__accountEndpoint", "https://acct.documents.azure.com:443/"))));
    }

    [Fact]
    public void AnHttpConnectionStringSelectsGatewayModeOnThatEndpointOnly()
    {
        using var stores = Create(Config(("CosmosDb__connectionString", "AccountEndpoint=http://127.0.0.1:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==;")));

        Assert.Equal(ConnectionMode.Gateway, stores.Client.ClientOptions.ConnectionMode);
        Assert.True(stores.Client.ClientOptions.LimitToEndpoint);
        Assert.NotNull(stores.Client.ClientOptions.HttpClientFactory);
        Assert.Equal(CosmosOptions.DefaultDatabaseName, stores.Options.DatabaseName);
    }
}

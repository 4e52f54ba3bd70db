using Azure.Identity;
using Microsoft.Extensions.Configuration;
using SalesFlow.Infrastructure.Azure.StorageQueues;

namespace SalesFlow.Tests.Adapters.Azure;

public sealed class StorageQueueOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void UseDevelopmentStorageMeansAzuritesWellKnownAccount()
    {
        var client = StorageQueueOptions.FromConfiguration(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true"))).CreateServiceClient();

        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), client.Uri);
        Assert.Equal("devstoreaccount1", client.AccountName);
        Assert.True(client.CanGenerateAccountSasUri); // holds the account key
    }

    [Fact]
    public void AQueueServiceUriWithAUserAssignedIdentityMakesABearerClient()
    {
        // Environment variables AzureWebJobsStorage__queueServiceUri etc. arrive as AzureWebJobsStorage:queueServiceUri.
        var config = Config(
            ("AzureWebJobsStorage:queueServiceUri", "https://acme.queue.core.windows.net"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001"));

        var options = StorageQueueOptions.FromConfiguration(config);
        var client = options.CreateServiceClient();

        Assert.True(options.IsIdentityBased);
        Assert.Equal("managedidentity", options.Credential);
        Assert.Equal("00000000-0000-0000-0000-000000000001", options.ClientId);
        Assert.IsType<ManagedIdentityCredential>(options.CreateCredential());
        Assert.False(client.CanGenerateAccountSasUri); // no key: a token credential
        Assert.Equal(new Uri("https://acme.queue.core.windows.net"), client.Uri);
    }

    [Fact]
    public void WithoutACredentialSettingDefaultAzureCredentialIsUsed()
    {
        var options = StorageQueueOptions.FromConfiguration(Config(("AzureWebJobsStorage:accountName", "acme")));

        Assert.Equal(new Uri("https://acme.queue.core.windows.net"), options.QueueServiceUri);
        Assert.IsType<DefaultAzureCredential>(options.CreateCredential());
    }

    [Fact]
    public void TheConnectionStringWinsOverIdentitySettings()
    {
        var options = StorageQueueOptions.FromConfiguration(Config(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("AzureWebJobsStorage:queueServiceUri", "https://acme.queue.core.windows.net")));

        Assert.False(options.IsIdentityBased);
    }

    [Fact]
    public void AnotherConnectionNameIsReadTheSameWay()
    {
        var options = StorageQueueOptions.FromConfiguration(Config(("SalesFlowQueues:queueServiceUri", "https://acme.queue.core.windows.net")), "SalesFlowQueues");

        Assert.Equal("SalesFlowQueues", options.ConnectionName);
        Assert.NotNull(options.QueueServiceUri);
    }

    [Fact]
    public void NothingConfiguredNamesTheSettingsToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageQueueOptions.FromConfiguration(Config()));

        Assert.Contains("'AzureWebJobsStorage'", error.Message);
        Assert.Contains("AzureWebJobsStorage__queueServiceUri", error.Message);
        Assert.Contains("AzureWebJobsStorage__credential=managedidentity", error.Message);
        Assert.Contains("AzureWebJobsStorage__clientId", error.Message);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "acme.queue.core.windows.net", "AzureWebJobsStorage__queueServiceUri")]
    [InlineData("AzureWebJobsStorage", "AccountName=acme", "AzureWebJobsStorage")]
    [InlineData("AzureWebJobsStorage", "garbage", "AzureWebJobsStorage")]
    public void AnInvalidSettingIsNamed(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageQueueOptions.FromConfiguration(Config((key, value))).CreateServiceClient());

        Assert.Contains($"'{named}'", error.Message);
    }

    [Fact]
    public void AnUnknownCredentialKindIsNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageQueueOptions.FromConfiguration(Config(
            ("AzureWebJobsStorage:queueServiceUri", "https://acme.queue.core.windows.net"),
            ("AzureWebJobsStorage:credential", "clientsecret"))));

        Assert.Contains("'AzureWebJobsStorage__credential'", error.Message);
    }
}

using Azure.Identity;
using Microsoft.Extensions.Configuration;
using SalesFlow.Infrastructure.Azure.StorageQueues;

namespace SalesFlow.Tests.Adapters.Azure;

public sealed class StorageQueueOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void AConnectionStringSettingMakesASharedKeyClient()
    {
        using var http = new HttpClient();
        var client = StorageQueueClient.FromConfiguration(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true")), http);

        Assert.Equal("SharedKey", client.AuthorizationScheme);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), client.ServiceUri);
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
        using var http = new HttpClient();
        var client = StorageQueueClient.FromConfiguration(config, http);

        Assert.True(options.IsIdentityBased);
        Assert.Equal("managedidentity", options.Credential);
        Assert.Equal("00000000-0000-0000-0000-000000000001", options.ClientId);
        Assert.IsType<ManagedIdentityCredential>(options.CreateCredential());
        Assert.Equal("Bearer", client.AuthorizationScheme);
        Assert.Equal(new Uri("https://acme.queue.core.windows.net"), client.ServiceUri);
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
        using var http = new HttpClient();
        var error = Assert.Throws<InvalidOperationException>(() => StorageQueueClient.FromConfiguration(Config(), http));

        Assert.Contains("'AzureWebJobsStorage'", error.Message);
        Assert.Contains("AzureWebJobsStorage__queueServiceUri", error.Message);
        Assert.Contains("AzureWebJobsStorage__credential=managedidentity", error.Message);
        Assert.Contains("AzureWebJobsStorage__clientId", error.Message);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "acme.queue.core.windows.net", "AzureWebJobsStorage__queueServiceUri")]
    [InlineData("AzureWebJobsStorage", "AccountName=acme", "AzureWebJobsStorage")]
    public void AnInvalidSettingIsNamed(string key, string value, string named)
    {
        using var http = new HttpClient();
        var error = Assert.Throws<InvalidOperationException>(() => StorageQueueClient.FromConfiguration(Config((key, value)), http));

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

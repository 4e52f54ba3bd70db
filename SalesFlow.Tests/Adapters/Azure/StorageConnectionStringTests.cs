using SalesFlow.Infrastructure.Azure.StorageQueues;

namespace SalesFlow.Tests.Adapters.Azure;

public sealed class StorageConnectionStringTests
{
    [Fact]
    public void UseDevelopmentStorageMeansAzuritesWellKnownAccount()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueEndpoint);
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(StorageConnectionString.DevelopmentAccountKey, parsed.AccountKey);
        Assert.True(parsed.IsPathStyle);
    }

    [Fact]
    public void AccountProtocolAndSuffixMakeTheQueueEndpoint()
    {
        var parsed = StorageConnectionString.Parse("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://acme.queue.core.chinacloudapi.cn"), parsed.QueueEndpoint);
        Assert.False(parsed.IsPathStyle);
    }

    [Fact]
    public void WithoutProtocolOrSuffixTheEndpointIsHttpsOnThePublicCloud() =>
        Assert.Equal(new Uri("https://acme.queue.core.windows.net"), StorageConnectionString.Parse("AccountName=acme;AccountKey=a2V5").QueueEndpoint);

    [Fact]
    public void AnExplicitQueueEndpointWins()
    {
        var parsed = StorageConnectionString.Parse(StorageConnectionString.ForAzurite(12345));

        Assert.Equal(new Uri("http://127.0.0.1:12345/devstoreaccount1"), parsed.QueueEndpoint);
    }

    [Theory]
    [InlineData("AccountKey=a2V5", "AccountName")]
    [InlineData("AccountName=acme", "AccountKey")]
    [InlineData("AccountName=acme;SharedAccessSignature=sv=1", "SAS")]
    [InlineData("AccountName=acme;AccountKey=a2V5;QueueEndpoint=not a uri", "QueueEndpoint")]
    [InlineData("garbage", "Name=Value")]
    public void AnIncompleteConnectionStringSaysWhatIsMissing(string connectionString, string named) =>
        Assert.Contains(named, Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString)).Message);

    [Fact]
    public void TheKeyNeverShowsInToString() =>
        Assert.DoesNotContain(StorageConnectionString.DevelopmentAccountKey, StorageConnectionString.Parse("UseDevelopmentStorage=true").ToString());
}

using System.Text;
using Azure;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using SalesFlow.Core.Queue;
using SalesFlow.Infrastructure.Azure.StorageQueues;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>
/// How SalesFlow configures the Azure.Storage.Queues SDK, checked on the wire of a real Azurite: what the
/// Functions queue trigger reads (base64 UTF-8), messages that never expire, the settings that reach the service.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class StorageQueueSdkAgainstAzuriteTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly StorageQueueWorkQueue _queue = new(azurite.NewServiceClient());
    private readonly string _q = AzuriteFixture.NewQueueName("s");

    [Fact]
    public async Task UnicodeJsonTravelsAsBase64Utf8OnTheWireAndComesBackAsEnqueued()
    {
        const string json = """{"clientId":"c-1","text":"Olá — 你好 👋 <b>&amp;</b>","n":1}""";
        await _queue.EnqueueAsync(_q, json, TimeSpan.Zero, null, default);

        var onTheWire = Assert.Single((await azurite.NewRawServiceClient().GetQueueClient(_q).PeekMessagesAsync(1)).Value);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), onTheWire.Body.ToString());
        Assert.Equal(json, (await _queue.ClaimAsync(_q, Lease, default))!.Payload);
    }

    [Fact]
    public async Task WorkPutByAnotherBase64ProducerIsReadAsItsText()
    {
        // What the Functions host (or any producer using messageEncoding base64) puts in the queue.
        var raw = azurite.NewRawServiceClient().GetQueueClient(_q);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"clientId":"demo","leadId":"lead_1"}""")));

        var item = await _queue.ClaimAsync(_q, Lease, default);

        Assert.Equal(new ProcessInboundWork("demo", "lead_1"), ProcessInboundWork.Parse(item!.Payload));
    }

    [Fact]
    public async Task AMessageThatIsNotBase64IsParkedInThePoisonQueueAsItIsInsteadOfComingBack()
    {
        var raw = azurite.NewRawServiceClient().GetQueueClient(_q);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("plain text, not base64 <ü>");

        Assert.Null(await _queue.ClaimAsync(_q, TimeSpan.FromSeconds(1), default));

        var parked = Assert.Single(await _queue.ListAsync(_q, 10, default));
        Assert.Equal("plain text, not base64 <ü>", parked.Payload);
        Assert.Equal(0, await _queue.CountAsync(_q, default));
    }

    [Fact]
    public async Task EnqueuedAndParkedWorkNeverExpires()
    {
        await _queue.EnqueueAsync(_q, "forever", TimeSpan.Zero, null, default);
        var item = await _queue.ClaimAsync(_q, Lease, default);
        await _queue.FailAsync(item!, "boom", TimeSpan.Zero, maxDequeueCount: 1, default);

        PeekedMessage parked = Assert.Single((await azurite.NewRawServiceClient().GetQueueClient(Queues.Poison(_q)).PeekMessagesAsync(1)).Value);
        Assert.Equal(9999, parked.ExpiresOn!.Value.Year);
        await _queue.EnqueueAsync(_q, "forever", TimeSpan.Zero, null, default);
        Assert.Equal(9999, Assert.Single((await azurite.NewRawServiceClient().GetQueueClient(_q).PeekMessagesAsync(1)).Value).ExpiresOn!.Value.Year);
    }

    [Fact]
    public async Task TheConnectionStringSettingReachesTheQueueService()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString }).Build();
        var queue = new StorageQueueWorkQueue(StorageQueueOptions.FromConfiguration(config).CreateServiceClient());

        await queue.EnqueueAsync(_q, "via settings", TimeSpan.Zero, null, default);

        Assert.Equal("via settings", (await _queue.ClaimAsync(_q, Lease, default))!.Payload);
    }

    [Fact]
    public async Task ARequestSignedWithAnotherAccountKeyIsRejected()
    {
        var otherKey = Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());
        var forged = new StorageQueueWorkQueue(new(azurite.ConnectionString.Replace(AzuriteFixture.AccountKey, otherKey, StringComparison.Ordinal), StorageQueueOptions.ClientOptions()));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => forged.EnqueueAsync(_q, "p", TimeSpan.Zero, null, default));

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthenticationFailed", error.ErrorCode);
    }
}

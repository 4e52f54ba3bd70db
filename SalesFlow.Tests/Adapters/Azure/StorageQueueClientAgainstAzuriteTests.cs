using System.Diagnostics;
using System.Text;
using SalesFlow.Infrastructure.Azure.StorageQueues;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Azure;

[Collection(AzuriteFixture.Collection)]
public sealed class StorageQueueClientAgainstAzuriteTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly StorageQueueClient _client = azurite.NewClient();
    private readonly string _queue = AzuriteFixture.NewQueueName();

    [Fact]
    public async Task CreateIfNotExistsReportsWhetherItCreatedTheQueue()
    {
        Assert.True(await _client.CreateIfNotExistsAsync(_queue, default));
        Assert.False(await _client.CreateIfNotExistsAsync(_queue, default));
    }

    [Fact]
    public async Task AMessageIsPutTakenAndDeleted()
    {
        await _client.CreateIfNotExistsAsync(_queue, default);
        var receipt = await _client.PutMessageAsync(_queue, "hello", null, null, default);

        var taken = Assert.Single(await _client.GetMessagesAsync(_queue, 1, Lease, default));
        Assert.Equal(receipt.MessageId, taken.MessageId);
        Assert.Equal("hello", taken.Text);
        Assert.Equal(1, taken.DequeueCount);
        Assert.False(string.IsNullOrEmpty(taken.PopReceipt));

        await _client.DeleteMessageAsync(_queue, taken.MessageId, taken.PopReceipt, default);
        Assert.Equal(0, await _client.GetApproximateMessageCountAsync(_queue, default));
        Assert.Empty(await _client.GetMessagesAsync(_queue, 1, Lease, default));
    }

    [Fact]
    public async Task AMessageWithoutTimeToLiveNeverExpires()
    {
        await _client.CreateIfNotExistsAsync(_queue, default);
        var receipt = await _client.PutMessageAsync(_queue, "forever", null, null, default);

        Assert.Equal(9999, receipt.ExpirationTime.Year);
    }

    [Fact]
    public async Task AVisibilityDelayHidesTheMessageUntilItLapses()
    {
        await _client.CreateIfNotExistsAsync(_queue, default);
        var watch = Stopwatch.StartNew();
        await _client.PutMessageAsync(_queue, "later", TimeSpan.FromSeconds(2), null, default);

        Assert.Empty(await _client.GetMessagesAsync(_queue, 1, Lease, default));
        Assert.Empty(await _client.PeekMessagesAsync(_queue, 1, default));
        var taken = await Eventually.ReturnsAsync(() => _client.GetMessagesAsync(_queue, 1, Lease, default), m => m.Count == 1, TimeSpan.FromSeconds(10));
        Assert.Equal("later", taken[0].Text);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5), $"visible after {watch.Elapsed}");
    }

    [Fact]
    public async Task TheDequeueCountGrowsEachTimeTheVisibilityLeaseLapses()
    {
        await _client.CreateIfNotExistsAsync(_queue, default);
        await _client.PutMessageAsync(_queue, "p", null, null, default);
        var first = Assert.Single(await _client.GetMessagesAsync(_queue, 1, TimeSpan.FromSeconds(1), default));

        Assert.Empty(await _client.GetMessagesAsync(_queue, 1, TimeSpan.FromSeconds(1), default));
        var again = await Eventually.ReturnsAsync(() => _client.GetMessagesAsync(_queue, 1, Lease, default), m => m.Count == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(first.MessageId, again[0].MessageId);
        Assert.Equal(2, again[0].DequeueCount);
        Assert.NotEqual(first.PopReceipt, again[0].PopReceipt);
    }

    [Fact]
    public async Task UpdatingVisibilityToZeroReleasesTheMessageAndRetiresTheOldPopReceipt()
    {
        await _client.CreateIfNotExistsAsync(_queue, default);
        await _client.PutMessageAsync(_queue, "p", null, null, default);
        var taken = Assert.Single(await _client.GetMessagesAsync(_queue, 1, Lease, default));

        var update = await _client.UpdateMessageAsync(_queue, taken.MessageId, taken.PopReceipt, TimeSpan.Zero, default);

        Assert.NotEqual(taken.PopReceipt, update.PopReceipt);
        var again = Assert.Single(await _client.GetMessagesAsync(_queue, 1, Lease, default));
        Assert.Equal("p", again.Text);
        Assert.Equal(2, again.DequeueCount);
        var stale = await Assert.ThrowsAsync<StorageQueueException>(() => _client.DeleteMessageAsync(_queue, taken.MessageId, taken.PopReceipt, default));
        Assert.Contains(stale.ErrorCode, new[] { StorageQueueErrorCodes.MessageNotFound, StorageQueueErrorCodes.PopReceiptMismatch });
    }

    [Fact]
    public async Task UnicodeJsonSurvivesTheBase64RoundTripAndIsBase64OnTheWire()
    {
        const string json = """{"clientId":"c-1","text":"Olá — 你好 👋 <b>&amp;</b>","n":1}""";
        await _client.CreateIfNotExistsAsync(_queue, default);
        await _client.PutMessageAsync(_queue, json, null, null, default);

        var raw = StorageQueueClient.FromConnectionString(azurite.ConnectionString, azurite.Http, StorageQueueMessageEncoding.None);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), Assert.Single(await raw.PeekMessagesAsync(_queue, 1, default)).Text);
        Assert.Equal(json, Assert.Single(await _client.GetMessagesAsync(_queue, 1, Lease, default)).Text);
    }

    [Fact]
    public async Task WithoutBase64TheTextIsXmlEscapedAndComesBackAsIs()
    {
        var raw = StorageQueueClient.FromConnectionString(azurite.ConnectionString, azurite.Http, StorageQueueMessageEncoding.None);
        await raw.CreateIfNotExistsAsync(_queue, default);
        await raw.PutMessageAsync(_queue, "<a & 'b'>", null, null, default);

        Assert.Equal("<a & 'b'>", Assert.Single(await raw.GetMessagesAsync(_queue, 1, Lease, default)).Text);
    }

    [Fact]
    public async Task PeekingChangesNeitherVisibilityNorDequeueCount()
    {
        await _client.CreateIfNotExistsAsync(_queue, default);
        await _client.PutMessageAsync(_queue, "a", null, null, default);
        await _client.PutMessageAsync(_queue, "b", null, null, default);

        var peeked = await _client.PeekMessagesAsync(_queue, 32, default);

        Assert.Equal(["a", "b"], peeked.Select(m => m.Text));
        Assert.All(peeked, m => Assert.Equal(0, m.DequeueCount));
        Assert.Equal(2, (await _client.GetMessagesAsync(_queue, 32, Lease, default)).Count);
    }

    [Fact]
    public async Task TheCountIncludesHiddenMessagesAndClearingEmptiesTheQueue()
    {
        await _client.CreateIfNotExistsAsync(_queue, default);
        await _client.PutMessageAsync(_queue, "1", null, null, default);
        await _client.PutMessageAsync(_queue, "2", null, null, default);
        await _client.PutMessageAsync(_queue, "3", TimeSpan.FromMinutes(5), null, default);
        Assert.Equal(3, await _client.GetApproximateMessageCountAsync(_queue, default));

        await _client.ClearMessagesAsync(_queue, default);

        Assert.Equal(0, await _client.GetApproximateMessageCountAsync(_queue, default));
    }

    [Fact]
    public async Task AMissingQueueFailsWithTheStorageErrorCode()
    {
        var error = await Assert.ThrowsAsync<StorageQueueException>(() => _client.GetMessagesAsync(_queue, 1, Lease, default));

        Assert.Equal(404, error.Status);
        Assert.Equal(StorageQueueErrorCodes.QueueNotFound, error.ErrorCode);
        Assert.Contains("QueueNotFound", error.Message);
    }

    [Fact]
    public async Task ARequestSignedWithAnotherKeyIsRejected()
    {
        var otherKey = Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());
        var forged = new StorageQueueClient(azurite.Http, azurite.QueueEndpoint, new StorageSharedKey(StorageConnectionString.DevelopmentAccountName, otherKey));

        var error = await Assert.ThrowsAsync<StorageQueueException>(() => forged.CreateIfNotExistsAsync(_queue, default));

        Assert.Equal(403, error.Status);
        Assert.Equal(StorageQueueErrorCodes.AuthenticationFailed, error.ErrorCode);
        Assert.True(await _client.CreateIfNotExistsAsync(_queue, default)); // the well-known key's signature is accepted
    }

    [Fact]
    public async Task PopReceiptsWithReservedCharactersAreEscapedAndSignedCorrectly()
    {
        // Every message operation carries the pop receipt in the query; doing many exercises whatever characters Azurite puts in them.
        await _client.CreateIfNotExistsAsync(_queue, default);
        for (var i = 0; i < 10; i++)
        {
            await _client.PutMessageAsync(_queue, "m" + i, null, null, default);
        }

        foreach (var message in await _client.GetMessagesAsync(_queue, 32, Lease, default))
        {
            var update = await _client.UpdateMessageAsync(_queue, message.MessageId, message.PopReceipt, Lease, default);
            await _client.DeleteMessageAsync(_queue, message.MessageId, update.PopReceipt, default);
        }

        Assert.Equal(0, await _client.GetApproximateMessageCountAsync(_queue, default));
    }
}

using SalesFlow.Infrastructure.Azure.StorageQueues;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The work queue contract against the Storage queue adapter, talking to a real Azurite (shared by the collection).</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class WorkQueueContractTestsAgainstAzurite(AzuriteFixture azurite) : WorkQueueContractTests
{
    protected override Task<WorkQueueSet> CreateQueueAsync()
    {
        var queue = new StorageQueueWorkQueue(azurite.NewServiceClient());
        return Task.FromResult(new WorkQueueSet(queue, queue, queue));
    }
}

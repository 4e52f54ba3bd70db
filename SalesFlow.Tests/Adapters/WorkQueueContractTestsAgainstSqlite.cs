using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters;

/// <summary>The work queue contract against the embedded SQLite queue (a real file in a temp directory, the system clock).</summary>
public sealed class WorkQueueContractTestsAgainstSqlite : WorkQueueContractTests
{
    private readonly TempDatabase _temp = new();

    protected override Task<WorkQueueSet> CreateQueueAsync()
    {
        var queue = new SqliteWorkQueue(_temp.Db, TimeProvider.System);
        return Task.FromResult(new WorkQueueSet(queue, queue, queue));
    }

    protected override Task DisposeQueueAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

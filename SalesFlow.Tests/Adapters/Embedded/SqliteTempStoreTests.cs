using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Embedded;

/// <summary>
/// SQLite's statement journals (a grouped commit's savepoints) and temporary tables stay in memory: otherwise SQLite writes
/// them, lead message text included, to unlinked files in /var/tmp, outside the database the erasure scrubs.
/// </summary>
public sealed class SqliteTempStoreTests : IDisposable
{
    private const long Memory = 2;

    private readonly TempDatabase _temp = new();

    [Fact]
    public async Task ReadersAndTheWriterKeepTemporaryDataInMemory()
    {
        var writer = await _temp.Db.WriteAsync((c, t) => c.Command("PRAGMA temp_store", t).ScalarAsync(), default);
        var reader = await _temp.Db.ReadAsync(c => c.Command("PRAGMA temp_store").ScalarAsync());

        Assert.Equal(Memory, writer);
        Assert.Equal(Memory, reader);
    }

    public void Dispose() => _temp.Dispose();
}

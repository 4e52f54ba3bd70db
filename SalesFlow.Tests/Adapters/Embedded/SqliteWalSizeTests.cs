using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Embedded;

/// <summary>The embedded store's write-ahead log does not keep the disk space a burst of writes took.</summary>
public sealed class SqliteWalSizeTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public async Task AfterABurstLargerThanTheLimitTheWalIsCutBackOnceItStartsOver()
    {
        await _temp.Db.WriteAsync((c, t) => c.Command("CREATE TABLE burst (body BLOB NOT NULL)", t).ExecAsync(), default);
        var wal = _temp.Db.Path + "-wal";
        var page = new byte[256 * 1024];
        for (var i = 0; i < (SqliteDatabase.WalSizeLimitBytes / page.Length) + 40; i++)
        {
            Random.Shared.NextBytes(page);
            await _temp.Db.WriteAsync((c, t) => c.Command("INSERT INTO burst (body) VALUES ($b)", t, ("$b", page)).ExecAsync(), default);
        }

        Assert.True(new FileInfo(wal).Length > SqliteDatabase.WalSizeLimitBytes, $"the burst left a WAL of {new FileInfo(wal).Length} bytes");

        // The checkpoint beside the writer (every second) copies the WAL into the file; the next write starts it over.
        await Eventually.ReturnsAsync(
            async () =>
            {
                await _temp.Db.WriteAsync((c, t) => c.Command("DELETE FROM burst WHERE rowid = (SELECT MIN(rowid) FROM burst)", t).ExecAsync(), default);
                return new FileInfo(wal).Length;
            },
            length => length <= SqliteDatabase.WalSizeLimitBytes,
            TimeSpan.FromSeconds(15),
            "the WAL file is cut back to the limit after the burst");
    }

    public void Dispose() => _temp.Dispose();
}

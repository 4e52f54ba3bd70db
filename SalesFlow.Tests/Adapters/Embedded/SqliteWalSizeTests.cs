using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Adapters.Embedded;

/// <summary>The embedded store's write-ahead log neither grows without end under sustained writes nor keeps the disk space a large write took.</summary>
public sealed class SqliteWalSizeTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public async Task AfterATransactionLargerThanTheLimitTheWalIsCutBackOnceItStartsOver()
    {
        await _temp.Db.WriteAsync((c, t) => c.Command("CREATE TABLE burst (body BLOB NOT NULL)", t).ExecAsync(), default);
        var wal = _temp.Db.Path + "-wal";
        var page = new byte[256 * 1024];
        await _temp.Db.WriteAsync(
            async (c, t) =>
            {
                for (var i = 0; i < (SqliteDatabase.WalSizeLimitBytes / page.Length) + 40; i++)
                {
                    Random.Shared.NextBytes(page);
                    await c.Command("INSERT INTO burst (body) VALUES ($b)", t, ("$b", page)).ExecAsync();
                }
            },
            default);

        Assert.True(new FileInfo(wal).Length > SqliteDatabase.WalSizeLimitBytes, $"the transaction left a WAL of {new FileInfo(wal).Length} bytes");

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

    [Fact]
    public async Task WhileWritesGoOnTheWalIsCutBackInsteadOfGrowingWithoutEnd()
    {
        await _temp.Db.WriteAsync((c, t) => c.Command("CREATE TABLE burst (body BLOB NOT NULL)", t).ExecAsync(), default);
        var wal = new FileInfo(_temp.Db.Path + "-wal");
        var outgrown = false;
        var cutBack = false;
        const int BodyBytes = 512 * 1024;
        var bodiesLeft = (int)(2 * SqliteDatabase.WriterCheckpointBytes / BodyBytes);

        // Four writers with no pause, twice the writer's checkpoint mark in all: the copy beside them alone rarely
        // catches up, so the WAL would keep growing.
        async Task WriteAsync()
        {
            var body = new byte[BodyBytes];
            Random.Shared.NextBytes(body);
            while (!cutBack && Interlocked.Decrement(ref bodiesLeft) >= 0)
            {
                await _temp.Db.WriteAsync(
                    async (c, t) =>
                    {
                        await c.Command("INSERT INTO burst (body) VALUES ($b)", t, ("$b", body)).ExecAsync();
                        await c.Command("DELETE FROM burst WHERE rowid < (SELECT MAX(rowid) FROM burst) - 16", t).ExecAsync();
                    },
                    default);
                wal.Refresh();
                outgrown |= wal.Length > SqliteDatabase.WalSizeLimitBytes;
                cutBack |= outgrown && wal.Length <= SqliteDatabase.WalSizeLimitBytes;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(WriteAsync)));

        Assert.True(outgrown, "the writes outgrew the WAL's limit");
        Assert.True(cutBack, $"the WAL was not cut back while the writes went on (now {wal.Length / 1024 / 1024} MB)");
    }

    public void Dispose() => _temp.Dispose();
}

using Microsoft.Data.Sqlite;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Core.Observability;

namespace SalesFlow.Tests.Support;

/// <summary>A real SQLite file in a fresh temp directory, deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "salesflow-test-" + Guid.NewGuid().ToString("N"));
        Db = new SqliteDatabase(Path.Combine(Directory, "salesflow.db"), new RuntimeHealth());
    }

    public string Directory { get; }
    public SqliteDatabase Db { get; }

    public void Dispose()
    {
        Db.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualClock()
        : this(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

using Microsoft.Data.Sqlite;
using SalesFlow.Core.Observability;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// The embedded store: one SQLite file. Writes are serialised in-process (one writer is what
/// SQLite allows anyway, and it makes get-or-create races impossible); reads run in parallel
/// thanks to WAL. One process owns a data directory. Every write runs on one long-lived connection
/// (<see cref="SqliteWriterConnection"/>) that keeps its statements prepared; reads outside a write use pooled ones.
/// </summary>
public sealed partial class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _connectionString;
    private readonly string _unpooledConnectionString;
    private readonly Lazy<SqliteErasureScrubber> _scrubber;
    private readonly RuntimeHealth _health;
    private readonly Timer _checkpoints;
    private int _checkpointing;
    private SqliteConnection? _checkpointConnection;
    private SqliteWriterConnection? _writer;

    /// <param name="health">Told the outcome of every write, so readiness sees a full or read-only disk.</param>
    public SqliteDatabase(string path, RuntimeHealth health)
    {
        _health = health;
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _unpooledConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
        _scrubber = new(() => new SqliteErasureScrubber(this));
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        AddMissingColumns(connection);
        Execute(connection, SqliteSchema.Ddl);
        _checkpoints = new Timer(_ => CheckpointWal(), null, CheckpointInterval, CheckpointInterval);
    }

    /// <summary>The size the WAL file is cut back to when a write starts it over after a complete checkpoint.</summary>
    public const long WalSizeLimitBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The WAL's size past which the writer copies it into the file itself: the checkpoint beside it alone never completes
    /// while writes keep coming (the comment where it is set says more).
    /// </summary>
    public const long WriterCheckpointBytes = 4 * WalSizeLimitBytes;

    /// <summary>SQLite's default page size, which this file is created with.</summary>
    private const long DefaultPageSize = 4096;

    /// <summary>How often the WAL is copied into the file beside the writer (see <see cref="CheckpointWal"/>).</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    public string Path { get; }

    /// <summary>The one scrubber of this file (see <see cref="SqliteErasureScrubber"/>).</summary>
    public SqliteErasureScrubber Scrubber => _scrubber.Value;

    public SqliteConnection Open() => Open(new SqliteConnection(_connectionString));

    /// <summary>A connection with an empty page cache, closed for good when disposed (for the erasure scrub).</summary>
    internal SqliteConnection OpenUnpooled() => Open(new SqliteConnection(_unpooledConnectionString));

    private static T Open<T>(T connection)
        where T : SqliteConnection
    {
        connection.Open();
        // A pooled connection keeps its native handle, and with it these settings and the hook: set them once per
        // handle, not on every checkout (three statements each time before).
        var handle = connection.Handle!;
        if (!Configured.TryGetValue(handle, out _))
        {
            SQLitePCL.raw.sqlite3_profile(handle, CountStatement, null);
            // wal_autocheckpoint: SQLite checkpoints inside the commit that crosses the mark, and that commit (with every
            // webhook and turn waiting for the writer) waits for the copy, so CheckpointWal copies beside the writer. At
            // SQLite's default mark (1,000 pages) every few commits waited; with none at all a sustained burst outpaced
            // the copy beside, and the WAL, which starts over only after a complete copy, grew without end (19 GB in a
            // minute of the intake bench). Past WriterCheckpointBytes the writer copies what the copy beside has not yet
            // and the next write starts the WAL over (at most ~300 MB in that bench; at 64 MB the writer waited too
            // often: intake p99 at 64 senders 17–32 ms instead of 12–15 ms).
            // journal_size_limit: after a burst the WAL file keeps the size it grew to unless SQLite truncates it when
            // the next write starts it over.
            // temp_store=MEMORY: a grouped commit's savepoints need statement journals, which SQLite otherwise writes to a
            // new, at once unlinked file in /var/tmp (open, writes, unlink: 5,400 files for 47,000 webhooks) — a lead's
            // message text on disk outside the database, where erasure cannot reach it. No VACUUM runs here, so nothing
            // copies the whole file into memory.
            Execute(connection, $"PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint={WriterCheckpointBytes / DefaultPageSize}; PRAGMA journal_size_limit={WalSizeLimitBytes};");
            Configured.AddOrUpdate(handle, Marker);
        }

        return connection;
    }

    /// <summary>
    /// The writer connection; only with the write lock held. Opened on first use and again after a write failed: unpooled,
    /// so a dropped one is closed for good (SQLite opens the file read-only for good when it cannot write it, e.g. while
    /// the folder is read-only, and a failure may leave a handle in a state no one wants to reuse).
    /// </summary>
    private SqliteWriterConnection Writer() => _writer ??= Open(new SqliteWriterConnection(_unpooledConnectionString));

    /// <summary>After a failed write (write lock held): the next write opens a fresh writer, with no statements prepared.</summary>
    private void DropWriter()
    {
        _writer?.Dispose();
        _writer = null;
    }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work)
    {
        if (AmbientFor(this) is { } ambient)
        {
            // Inside a grouped unit: read what the unit wrote so far, on its connection.
            return await work(ambient.Connection);
        }

        await using var connection = Open();
        return await work(connection);
    }

    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        if (AmbientFor(this) is { } ambient)
        {
            // Part of a grouped unit (GroupAsync): its transaction, committed with the unit's group.
            return await work(ambient.Connection, ambient.Transaction);
        }

        await _writeLock.WaitAsync(ct);
        try
        {
            var connection = Writer();
            await using var transaction = connection.BeginTransaction();
            var result = await work(connection, transaction);
            await transaction.CommitAsync(ct);
            _health.WriteSucceeded();
            return result;
        }
        catch (SqliteException e)
        {
            DropWriter();
            _health.WriteFailed("sqlite", e);
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// One write statement without an explicit transaction: SQLite runs a lone statement atomically in its own implicit
    /// one, so BEGIN and COMMIT would only add two statements. Writers are serialised as in <see cref="WriteAsync{T}"/>.
    /// </summary>
    public Task<T> WriteStatementAsync<T>(Func<SqliteConnection, Task<T>> statement, CancellationToken ct) =>
        AmbientFor(this) is { } ambient ? statement(ambient.Connection) : ExclusiveAsync(async () =>
        {
            var result = await statement(Writer());
            _health.WriteSucceeded();
            return result;
        }, ct);

    /// <summary>Runs work that is not one transaction (checkpoints, writing the file itself) with writers held off.</summary>
    internal async Task<T> ExclusiveAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        if (AmbientFor(this) is not null)
        {
            // A grouped unit already holds the writer lock (and its statements join its transaction).
            return await work();
        }

        await _writeLock.WaitAsync(ct);
        try
        {
            return await work();
        }
        catch (SqliteException e)
        {
            DropWriter();
            _health.WriteFailed("sqlite", e);
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken ct) =>
        WriteAsync(async (c, t) =>
        {
            await work(c, t);
            return true;
        }, ct);

    /// <summary>
    /// Copies the WAL into the file without holding the writer: a PASSIVE checkpoint waits for no reader or writer, copies
    /// what no reader still needs, and the next write starts the WAL over once all of it is copied. A failure (a full or
    /// read-only disk) is left to the next tick; the writes report it to readiness.
    /// </summary>
    private void CheckpointWal()
    {
        if (Interlocked.Exchange(ref _checkpointing, 1) == 1)
        {
            return;
        }

        try
        {
            // Its own connection, kept, without the statement counter: housekeeping, not a store request of the app's.
            _checkpointConnection ??= OpenCheckpointConnection();
            Execute(_checkpointConnection, "PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (SqliteException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    private SqliteConnection OpenCheckpointConnection()
    {
        var connection = new SqliteConnection(_unpooledConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        // Waits for a checkpoint under way, so no connection is opened after the pools are cleared.
        using (var stopped = new ManualResetEvent(false))
        {
            if (_checkpoints.Dispose(stopped))
            {
                stopped.WaitOne();
            }
        }

        _checkpointConnection?.Dispose();

        if (_scrubber.IsValueCreated)
        {
            _scrubber.Value.Dispose();
        }

        _writer?.Dispose();
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools();
    }

    // Microsoft.Data.Sqlite has no diagnostic events; SQLite's own hooks see every statement that runs. The profile hook,
    // not the trace hook: the legacy trace hook hands over each statement's SQL with its parameters written in (SQLite
    // re-tokenises the SQL and formats every value, the whole journaled payload included: about 3 % of the app's CPU under
    // the intake load); the profile hook gets the SQL as prepared and fires once per statement run, when it finishes.
    private static readonly SQLitePCL.delegate_profile CountStatement = (_, _, _) => SalesFlowMetrics.StoreRequests.Add(1, StatementTag);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();

    private static readonly object Marker = new();

    private static readonly KeyValuePair<string, object?> StatementTag = new("store", "sqlite");

    private static void AddMissingColumns(SqliteConnection connection)
    {
        foreach (var (table, column, definition) in SqliteSchema.AddedColumns)
        {
            using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $t), (SELECT COUNT(*) FROM pragma_table_info($t) WHERE name = $c)";
            exists.Parameters.AddWithValue("$t", table);
            exists.Parameters.AddWithValue("$c", column);
            using var reader = exists.ExecuteReader();
            reader.Read();
            if (reader.GetInt64(0) == 1 && reader.GetInt64(1) == 0)
            {
                reader.Close();
                Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>Small helpers that keep the stores' SQL readable.</summary>
internal static class SqliteCommandExtensions
{
    /// <summary>
    /// A command for <paramref name="sql"/>: on the writer the one that keeps it prepared (<see cref="SqliteWriterConnection"/>;
    /// never change its CommandText), else a new one. Disposing it (the helpers below do) hands a writer's command back.
    /// </summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command;
        if (connection is SqliteWriterConnection writer)
        {
            command = writer.CommandFor(sql);
        }
        else
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
        }

        // A lone statement or a read inside a grouped unit runs in the unit's transaction (SQLite requires it on that connection).
        command.Transaction = transaction ?? SqliteDatabase.AmbientTransactionOf(connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static async Task<List<T>> QueryAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        await using var _ = command;
        await using var reader = await command.ExecuteReaderAsync();
        var results = new List<T>();
        while (await reader.ReadAsync())
        {
            results.Add(map(reader));
        }

        return results;
    }

    public static async Task<int> ExecAsync(this SqliteCommand command)
    {
        await using var _ = command;
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(this SqliteCommand command)
    {
        await using var _ = command;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static string? NullableString(this SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static DateTimeOffset Time(this SqliteDataReader reader, string column) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(reader.GetOrdinal(column)));

    /// <summary>A scalar time column (e.g. <c>MIN(due_at)</c>); null when the query found none.</summary>
    public static async Task<DateTimeOffset?> TimeOrNullAsync(this SqliteCommand command) =>
        await command.ScalarAsync() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static DateTimeOffset? NullableTime(this SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
    }

    public static long Ms(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}

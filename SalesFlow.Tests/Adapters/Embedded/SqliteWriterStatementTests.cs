using Microsoft.Data.Sqlite;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Leads;
using SalesFlow.Infrastructure.Embedded;
using SalesFlow.Tests.Support;
using SQLitePCL;

namespace SalesFlow.Tests.Adapters.Embedded;

/// <summary>
/// The writer connection keeps its statements prepared (SqliteWriterConnection): counted on SQLite's own statements of
/// that connection (sqlite3_next_stmt), each with how many times it ran (SQLITE_STMTSTATUS_RUN). A statement prepared
/// once and run N times is one statement with N runs; prepared per command it would be finalized after each run.
/// </summary>
public sealed class SqliteWriterStatementTests : IAsyncLifetime
{
    /// <summary>SQLITE_STMTSTATUS_RUN (SQLitePCLRaw names only the first four counters).</summary>
    private const int StatementRuns = 6;

    private const string Insert = "INSERT INTO writer_probe (id, note) VALUES ($id, $note)";
    private const string Select = "SELECT id FROM writer_probe ORDER BY id";

    private readonly TempDatabase _temp = new();

    public SqliteWriterStatementTests()
    {
        using var connection = _temp.Db.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE writer_probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL)";
        create.ExecuteNonQuery();
    }

    public Task InitializeAsync() => TrackStatementsOnTheWriterAsync();

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task EachStatementOfConcurrentIntakeUnitsIsPreparedOnceAndRunByEveryUnit()
    {
        var leads = new SqliteLeadStore(_temp.Db);
        var conversations = new SqliteConversationStore(_temp.Db);

        // What a webhook does, as grouped units: several groups, each unit in its own savepoint.
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _temp.Db.GroupAsync(async () =>
            {
                var now = DateTimeOffset.UtcNow;
                var phone = "+49170300" + round + i.ToString("D2");
                var (lead, _) = await leads.GetOrCreateByIdentityAsync("acme", IdentityKind.Phone, phone, () => new Lead { Id = Ids.New("lead"), ClientId = "acme", Phone = phone, CreatedAt = now, UpdatedAt = now }, default);
                var conversation = await conversations.GetOrCreateForLeadAsync("acme", lead.Id, ChannelKind.WhatsApp, now, default);
                return await conversations.AddInboundAsync(new Message
                {
                    Id = Ids.New("msg"),
                    ClientId = "acme",
                    LeadId = lead.Id,
                    ConversationId = conversation.Id,
                    Channel = ChannelKind.WhatsApp,
                    Text = "Hello",
                    ProviderMessageId = "wamid." + phone,
                    Answerable = true,
                    CreatedAt = now,
                }, default);
            }, default)));
        }

        var messageInserts = (await StatementsOnTheWriterAsync()).Where(s => s.Sql.Contains("INSERT INTO messages", StringComparison.Ordinal)).ToList();
        Assert.Equal([30], messageInserts.Select(s => s.Runs));
    }

    [Fact]
    public async Task AStatementRepeatedByWritesOfEveryKindIsPreparedOnce()
    {
        for (var id = 1; id <= 3; id++)
        {
            await _temp.Db.WriteAsync((c, t) => InsertAsync(c, t, id), default);
        }

        for (var id = 4; id <= 6; id++)
        {
            await _temp.Db.WriteStatementAsync(c => InsertAsync(c, null, id), default);
        }

        await Task.WhenAll(Enumerable.Range(7, 4).Select(id => _temp.Db.GroupAsync(() => _temp.Db.WriteStatementAsync(c => InsertAsync(c, null, id), default), default)));

        Assert.Equal([10], await RunsOfAsync(Insert));
        Assert.Equal(10, await CountAsync());
    }

    [Fact]
    public async Task AStatementThatFailedRunsAgainOnTheStatementItFailedOn()
    {
        await _temp.Db.WriteAsync((c, t) => InsertAsync(c, t, 1), default);

        var duplicate = await _temp.Db.WriteAsync(async (c, t) =>
        {
            var error = await Assert.ThrowsAsync<SqliteException>(() => InsertAsync(c, t, 1));
            await InsertAsync(c, t, 2);
            return error;
        }, default);

        Assert.Equal(19, duplicate.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal([3], await RunsOfAsync(Insert));
        Assert.Equal(2, await CountAsync());
    }

    [Fact]
    public async Task AReaderLeftOpenNeverKeepsTheNextCallerFromItsStatement()
    {
        await _temp.Db.WriteAsync((c, t) => InsertAsync(c, t, 1), default);

        var (whileHeld, afterHandBack, closed) = await _temp.Db.WriteAsync(async (c, t) =>
        {
            var held = c.Command(Select, t);
            var reader = await held.ExecuteReaderAsync();
            await reader.ReadAsync();

            // The command is still held with its reader open: the next caller gets one of its own.
            var whileHeld = await c.Command(Select, t).QueryAsync(r => r.GetInt64(0));

            // Handed back with the reader still open: the hand-back closes it, and the kept statement runs again.
            await held.DisposeAsync();
            var afterHandBack = await c.Command(Select, t).QueryAsync(r => r.GetInt64(0));
            return (whileHeld, afterHandBack, reader.IsClosed);
        }, default);

        Assert.Equal([1L], whileHeld);
        Assert.Equal([1L], afterHandBack);
        Assert.True(closed);
    }

    [Fact]
    public async Task MoreDistinctStatementsThanTheWriterKeepsAllRunAndAtMostItsBoundStayPrepared()
    {
        var texts = SqliteWriterConnection.MaxStatements + 88;
        await _temp.Db.WriteAsync(async (c, t) =>
        {
            for (var i = 1; i <= texts; i++)
            {
                await c.Command($"INSERT INTO writer_probe (id, note) VALUES ($id, 'text {i}')", t, ("$id", i)).ExecAsync();
            }
        }, default);

        Assert.Equal(texts, await CountAsync());
        Assert.InRange((await StatementsOnTheWriterAsync()).Count, 1, SqliteWriterConnection.MaxStatements);
    }

    [Fact]
    public async Task AWriteAfterFailedWritesRunsAndItsStatementIsKeptAgain()
    {
        await _temp.Db.WriteAsync((c, t) => InsertAsync(c, t, 1), default);
        await ExecuteElsewhereAsync("CREATE TRIGGER outage BEFORE INSERT ON writer_probe BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");

        await Assert.ThrowsAsync<SqliteException>(() => _temp.Db.WriteAsync((c, t) => InsertAsync(c, t, 2), default));
        await Assert.ThrowsAsync<SqliteException>(() => _temp.Db.WriteStatementAsync(c => InsertAsync(c, null, 2), default));
        await ExecuteElsewhereAsync("DROP TRIGGER outage");
        await TrackStatementsOnTheWriterAsync(); // a failed write drops the writer: this opens the next one

        await _temp.Db.WriteAsync((c, t) => InsertAsync(c, t, 2), default);
        await _temp.Db.WriteStatementAsync(c => InsertAsync(c, null, 3), default);

        Assert.Equal(3, await CountAsync());
        Assert.Equal([2], await RunsOfAsync(Insert)); // on a fresh writer since the failure
    }

    [Fact]
    public async Task WorkAUnitLeftRunningWritesOnItsOwnOnceTheGroupIsCommitted()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task straggler = Task.CompletedTask;
        await _temp.Db.GroupAsync(() =>
        {
            // Started inside the unit, so it carries the unit's ambient write; it writes after the group's commit.
            straggler = Task.Run(async () =>
            {
                await release.Task;
                await _temp.Db.WriteAsync((c, t) => InsertAsync(c, t, 2), default);
            });
            return _temp.Db.WriteAsync((c, t) => InsertAsync(c, t, 1), default);
        }, default);

        release.SetResult();
        await straggler;

        Assert.Equal(2, await CountAsync());
    }

    private static Task<int> InsertAsync(SqliteConnection c, SqliteTransaction? t, int id) =>
        c.Command(Insert, t, ("$id", id), ("$note", "note " + id)).ExecAsync();

    private async Task<long> CountAsync() =>
        (long)(await _temp.Db.ReadAsync(c => c.Command("SELECT COUNT(*) FROM writer_probe").ScalarAsync()))!;

    private async Task ExecuteElsewhereAsync(string sql)
    {
        await using var connection = _temp.Db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<int>> RunsOfAsync(string sql) =>
        [.. (await StatementsOnTheWriterAsync()).Where(s => s.Sql == sql).Select(s => s.Runs)];

    /// <summary>
    /// SQLitePCLRaw lists a connection's statements only when told to before it prepares any: this is the first write, so
    /// it opens the writer (its settings' statements are finalized by then).
    /// </summary>
    private Task TrackStatementsOnTheWriterAsync() =>
        _temp.Db.WriteStatementAsync(c =>
        {
            c.Handle!.enable_sqlite3_next_stmt(true);
            return Task.FromResult(true);
        }, default);

    /// <summary>Every statement prepared on the writer connection now, with its runs.</summary>
    private Task<List<(string Sql, int Runs)>> StatementsOnTheWriterAsync() =>
        _temp.Db.WriteStatementAsync(c =>
        {
            var statements = new List<(string, int)>();
            for (var stmt = raw.sqlite3_next_stmt(c.Handle, null); stmt is not null; stmt = raw.sqlite3_next_stmt(c.Handle, stmt))
            {
                statements.Add((raw.sqlite3_sql(stmt).utf8_to_string(), raw.sqlite3_stmt_status(stmt, StatementRuns, 0)));
            }

            return Task.FromResult(statements);
        }, default);
}

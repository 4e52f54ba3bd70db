using Microsoft.Data.Sqlite;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// The one connection every write of a <see cref="SqliteDatabase"/> runs on, keeping its statements prepared from one
/// write to the next. Microsoft.Data.Sqlite has no statement cache across command objects: a statement stays prepared
/// only inside the <see cref="SqliteCommand"/> that prepared it, while its CommandText stays the same, so every new
/// command parses its SQL again (the parser was a large share of the single writer's CPU). This connection keeps one
/// command per SQL text (<see cref="SqliteCommandExtensions.Command"/> asks it for one); disposing such a command hands
/// it back with its statement still prepared, as disposing a pooled connection hands it back to the pool.
/// Used by one writer at a time (the database's write lock), so nothing here locks.
/// </summary>
internal sealed class SqliteWriterConnection(string connectionString) : SqliteConnection(connectionString)
{
    /// <summary>Distinct SQL texts kept; past it all are dropped (a few stores build their SQL, e.g. one IN list per count).</summary>
    internal const int MaxStatements = 512;

    private readonly Dictionary<string, CachedCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>
    /// The command that holds <paramref name="sql"/> prepared, without parameters; a one-off command when a caller still
    /// holds that one (not disposed yet, e.g. while it reads its rows), so an open reader never blocks the next caller.
    /// </summary>
    internal SqliteCommand CommandFor(string sql)
    {
        if (_commands.TryGetValue(sql, out var cached))
        {
            if (cached.InUse)
            {
                var oneOff = CreateCommand();
                oneOff.CommandText = sql;
                return oneOff;
            }

            cached.InUse = true;
            return cached;
        }

        if (_commands.Count >= MaxStatements)
        {
            DropAll();
        }

        var command = new CachedCommand(this, sql);
        _commands.Add(sql, command);
        return command;
    }

    /// <summary>Finalizes the kept statements before the handle closes (the base would only hand them back).</summary>
    public override void Close()
    {
        DropAll();
        base.Close();
    }

    private void DropAll()
    {
        foreach (var command in _commands.Values)
        {
            command.Drop();
        }

        _commands.Clear();
    }

    /// <summary>A command whose CommandText never changes once made, so its statement stays prepared.</summary>
    private sealed class CachedCommand : SqliteCommand
    {
        private bool _dropped;

        public CachedCommand(SqliteConnection connection, string sql)
        {
            Connection = connection;
            CommandText = sql;
            CommandTimeout = connection.DefaultTimeout;
            InUse = true;
        }

        /// <summary>Handed out and not yet disposed by its caller.</summary>
        public bool InUse { get; set; }

        /// <summary>Finalizes the statement: now if no caller holds the command, else when its caller disposes it.</summary>
        public void Drop()
        {
            _dropped = true;
            if (!InUse)
            {
                Dispose();
            }
        }

        /// <summary>
        /// Hands the command back (statement kept, merely reset); a reader its caller left open is closed first, and the
        /// parameters go (they may hold a lead's text until the next write otherwise).
        /// </summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing && !_dropped)
            {
                DataReader?.Dispose();
                Parameters.Clear();
                InUse = false;
                return;
            }

            base.Dispose(disposing);
        }
    }
}

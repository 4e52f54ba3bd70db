using Microsoft.Data.Sqlite;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Group commit: units of writes that arrive while the writer is busy wait for it together and then run one after
/// another in ONE transaction (each in its own savepoint, so a unit that fails is rolled back alone), committed once.
/// Every caller awaits its group's commit, so "stored before acknowledged" holds per unit; under load the writer lock
/// changes hands once per group instead of once per statement group, and BEGIN/COMMIT are paid once per group.
/// Units see each other's writes in order (one connection), so get-or-create and duplicate checks stay exact.
/// </summary>
public sealed partial class SqliteDatabase
{
    /// <summary>The most units one transaction takes; the rest wait for the next group.</summary>
    private const int MaxGroup = 256;

    /// <summary>
    /// Background units a group takes while foreground units wait: they keep moving under a burst, and a foreground
    /// unit waits for at most this many of them (a fraction of a millisecond) ahead of it.
    /// </summary>
    private const int BackgroundPerBusyGroup = 1;

    /// <summary>
    /// Background units a group takes when no foreground unit waits: few enough (a millisecond or two of the writer) that
    /// a webhook arriving meanwhile is not kept waiting behind a long group.
    /// </summary>
    private const int BackgroundPerIdleGroup = 8;

    // Static because AsyncLocal must be; the entry names its database so two files never share a transaction.
    private static readonly AsyncLocal<AmbientWrite?> Ambient = new();

    private readonly Queue<IGroupedUnit> _pending = new();
    private readonly Queue<IGroupedUnit> _pendingBackground = new();
    private bool _draining;

    /// <summary>
    /// Runs <paramref name="work"/> as one unit: every <see cref="WriteAsync{T}"/>, <see cref="WriteStatementAsync{T}"/>
    /// and <see cref="ReadAsync{T}"/> on this database inside it joins the group's transaction. Returns after the commit;
    /// throws the unit's own exception (its writes rolled back) or the commit's. Nested calls join the outer unit.
    /// </summary>
    public Task<T> GroupAsync<T>(Func<Task<T>> work, CancellationToken ct) => GroupAsync(work, background: false, ct);

    /// <summary>
    /// <see cref="GroupAsync{T}(Func{Task{T}}, CancellationToken)"/> for work nobody waits on (storing journaled webhooks):
    /// while foreground units are waiting a group takes only a few of these, so a burst of webhooks is acknowledged at the
    /// writer's speed and the background work catches up as soon as it eases.
    /// </summary>
    public Task<T> GroupInBackgroundAsync<T>(Func<Task<T>> work, CancellationToken ct) => GroupAsync(work, background: true, ct);

    private Task<T> GroupAsync<T>(Func<Task<T>> work, bool background, CancellationToken ct)
    {
        if (AmbientFor(this) is not null)
        {
            return work();
        }

        ct.ThrowIfCancellationRequested();
        var unit = new GroupedUnit<T>(work, ExecutionContext.Capture());
        bool lead;
        lock (_pending)
        {
            (background ? _pendingBackground : _pending).Enqueue(unit);
            lead = !_draining;
            _draining = true;
        }

        if (lead)
        {
            // The drain runs outside the caller's context: each unit runs in its own captured context instead.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(DrainAsync, CancellationToken.None);
            }
        }

        return unit.Completion;
    }

    /// <summary>
    /// Runs <paramref name="action"/> once what was written so far is committed: at once outside a grouped unit, after the
    /// group's commit inside one (once per <paramref name="key"/> and group, e.g. one wake-up per queue).
    /// </summary>
    internal void AfterCommit(string key, Action action)
    {
        if (AmbientFor(this) is { } ambient)
        {
            ambient.AfterCommit.TryAdd(key, action);
        }
        else
        {
            action();
        }
    }

    internal static SqliteTransaction? AmbientTransactionOf(SqliteConnection connection) =>
        Ambient.Value is { Ended: false } ambient && ReferenceEquals(ambient.Connection, connection) ? ambient.Transaction : null;

    private static AmbientWrite? AmbientFor(SqliteDatabase db) => Ambient.Value is { Ended: false } ambient && ReferenceEquals(ambient.Database, db) ? ambient : null;

    private async Task DrainAsync()
    {
        while (true)
        {
            List<IGroupedUnit> group;
            lock (_pending)
            {
                if (_pending.Count == 0 && _pendingBackground.Count == 0)
                {
                    _draining = false;
                    return;
                }

                group = new List<IGroupedUnit>(Math.Min(_pending.Count + _pendingBackground.Count, MaxGroup));
                while (group.Count < MaxGroup && _pending.TryDequeue(out var next))
                {
                    group.Add(next);
                }

                var background = group.Count == 0 ? BackgroundPerIdleGroup : BackgroundPerBusyGroup;
                while (background-- > 0 && group.Count < MaxGroup && _pendingBackground.TryDequeue(out var next))
                {
                    group.Add(next);
                }
            }

            try
            {
                await CommitGroupAsync(group);
            }
            catch (Exception e)
            {
                // Never leave the drain flagged as running with callers waiting: whatever escaped fails the group's
                // units not yet answered (those already committed keep their result).
                foreach (var unit in group)
                {
                    unit.Fail(e);
                }
            }
        }
    }

    private async Task CommitGroupAsync(List<IGroupedUnit> group)
    {
        var done = new List<IGroupedUnit>(group.Count);
        IEnumerable<Action> afterCommit = [];
        AmbientWrite? ambient = null;
        await _writeLock.WaitAsync();
        try
        {
            var connection = Writer();
            await using var transaction = connection.BeginTransaction();
            ambient = new AmbientWrite(this, connection, transaction, []);
            // One unit alone needs no savepoint: if it fails, the whole transaction is its own to roll back.
            var savepoints = group.Count > 1;
            foreach (var unit in group)
            {
                // On the writer's kept statements (transaction.Save and Release would prepare theirs for every unit).
                if (savepoints)
                {
                    await connection.Command("SAVEPOINT unit", transaction).ExecAsync();
                }

                try
                {
                    await unit.RunAsync(ambient);
                    if (savepoints)
                    {
                        await connection.Command("RELEASE unit", transaction).ExecAsync();
                    }

                    done.Add(unit);
                }
                catch (Exception e) when (savepoints)
                {
                    if (e is SqliteException sqlite)
                    {
                        _health.WriteFailed("sqlite", sqlite);
                    }

                    transaction.Rollback("unit");
                    transaction.Release("unit");
                    unit.Fail(e);
                }
            }

            await transaction.CommitAsync();
            _health.WriteSucceeded();
            afterCommit = ambient.AfterCommit.Values;
        }
        catch (Exception e)
        {
            if (e is SqliteException sqlite)
            {
                DropWriter();
                _health.WriteFailed("sqlite", sqlite);
            }

            // Nothing of this group is stored: every unit not already failed alone fails with the cause.
            foreach (var unit in group)
            {
                unit.Fail(e);
            }

            return;
        }
        finally
        {
            // Work a unit left running (a flow that captured the ambient write) must not reach the writer after the lock
            // is released: the writer lives on, shared by the next writes.
            ambient?.End();
            _writeLock.Release();
        }

        foreach (var unit in done)
        {
            unit.Commit();
        }

        foreach (var action in afterCommit)
        {
            action();
        }
    }

    private sealed record AmbientWrite(SqliteDatabase Database, SqliteConnection Connection, SqliteTransaction Transaction, Dictionary<string, Action> AfterCommit)
    {
        public bool Ended { get; private set; }

        public void End() => Ended = true;
    }

    private interface IGroupedUnit
    {
        Task RunAsync(AmbientWrite ambient);

        void Commit();

        void Fail(Exception e);
    }

    private sealed class GroupedUnit<T>(Func<Task<T>> work, ExecutionContext? context) : IGroupedUnit
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Completion => _completion.Task;

        public async Task RunAsync(AmbientWrite ambient)
        {
            Task<T> task = null!;
            if (context is null)
            {
                Ambient.Value = ambient;
                try
                {
                    task = work();
                }
                finally
                {
                    Ambient.Value = null;
                }
            }
            else
            {
                // The caller's context (logging scopes, activity), with the group's transaction as the ambient one.
                ExecutionContext.Run(context, _ =>
                {
                    Ambient.Value = ambient;
                    task = work();
                }, null);
            }

            _result = await task;
        }

        public void Commit() => _completion.TrySetResult(_result!);

        public void Fail(Exception e) => _completion.TrySetException(e);
    }
}

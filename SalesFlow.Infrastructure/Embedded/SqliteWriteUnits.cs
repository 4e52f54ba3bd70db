using SalesFlow.Core.Common;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Group commit on the embedded file (<see cref="SqliteDatabase.GroupAsync{T}"/>). Only when everything a unit writes
/// lives in that file, the work queue included: a write elsewhere (a Storage queue message) would be visible before the
/// group's commit, so a worker could look for a message not yet committed.
/// </summary>
public sealed class SqliteWriteUnits(SqliteDatabase db) : IWriteUnits
{
    public Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct) => db.GroupAsync(work, ct);
}

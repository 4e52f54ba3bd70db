namespace SalesFlow.Core.Common;

/// <summary>
/// Runs a unit of store writes (one webhook's intake) so the store may commit it together with the units that arrive
/// at the same time; returns once the unit is durable. The embedded store groups them into one SQLite transaction
/// (group commit); stores that cannot (Cosmos DB, or a queue outside the store) run the unit as it is.
/// </summary>
public interface IWriteUnits
{
    Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct);
}

/// <summary>Each write commits on its own, as the store does it.</summary>
public sealed class SeparateWriteUnits : IWriteUnits
{
    public Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct) => work();
}

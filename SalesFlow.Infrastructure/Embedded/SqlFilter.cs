namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// A WHERE clause with optional parts: only the filters that are given become conditions. The shorter form
/// "($l IS NULL OR lead_id = $l)" hides the column from SQLite's planner, which then walks every row of the client
/// (the per-turn outbox query and the budget check read a client's whole history that way).
/// </summary>
internal sealed class SqlFilter
{
    private readonly List<string> _conditions = [];
    private readonly List<(string Name, object? Value)> _parameters = [];

    public SqlFilter(string condition, params (string Name, object? Value)[] parameters) => Where(condition, parameters);

    /// <summary>The conditions joined by AND.</summary>
    public string Sql => string.Join(" AND ", _conditions);

    public (string Name, object? Value)[] Parameters => [.. _parameters];

    public SqlFilter Where(string condition, params (string Name, object? Value)[] parameters)
    {
        _conditions.Add(condition);
        _parameters.AddRange(parameters);
        return this;
    }

    /// <summary>Adds <paramref name="condition"/> (which uses <paramref name="name"/>) only when the value is given.</summary>
    public SqlFilter WhereGiven(string condition, string name, object? value) =>
        value is null ? this : Where(condition, (name, value));

    /// <summary>The filter's parameters plus those the rest of the statement needs (LIMIT, …).</summary>
    public (string Name, object? Value)[] With(params (string Name, object? Value)[] more) => [.. _parameters, .. more];
}

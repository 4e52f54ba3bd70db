namespace SalesFlow.Core.Common;

/// <summary>An ETag-guarded write lost the race; the caller reloads and retries.</summary>
public sealed class ConcurrencyException(string message) : Exception(message);

/// <summary>Input that breaks a rule; the API answers 4xx naming the field.</summary>
public sealed class ValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

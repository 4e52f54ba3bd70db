namespace SalesFlow.Core.Knowledge;

/// <summary>
/// An import or a new base would take the client beyond one of its knowledge quotas (the API answers 409 naming
/// <see cref="Limit"/> and <see cref="Field"/>); nothing was stored.
/// </summary>
public sealed class KnowledgeQuotaExceededException(string limit, string field, long maximum, string message) : Exception(message)
{
    /// <summary>The setting that sets the quota, e.g. <c>Knowledge:MaxChunksPerClient</c>.</summary>
    public string Limit { get; } = limit;

    /// <summary>The request field whose content would exceed it (<c>name</c>, <c>content</c>, <c>question</c>, <c>faqs</c>).</summary>
    public string Field { get; } = field;

    public long Maximum { get; } = maximum;
}

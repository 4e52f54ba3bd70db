namespace SalesFlow.Core.Common;

/// <summary>
/// Where a keyset page ends: the sort key of its last item (a time in Unix milliseconds, or a sequence number) and the
/// item's id, which breaks ties. The next page starts strictly after it, so items inserted meanwhile neither repeat nor
/// shift anything (an OFFSET would).
/// </summary>
public readonly record struct PagePosition(long Key, string Id);

/// <summary>One page of a list and where the next one starts (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, PagePosition? Next)
{
    /// <summary>
    /// The page from up to <paramref name="limit"/> + 1 items read in page order: the extra item only says that there is
    /// more, and the next page then starts after the last item kept.
    /// </summary>
    public static Page<T> From(IReadOnlyList<T> readOneMore, int limit, Func<T, PagePosition> positionOf)
    {
        if (readOneMore.Count <= limit)
        {
            return new Page<T>(readOneMore, null);
        }

        var items = readOneMore.Take(limit).ToList();
        return new Page<T>(items, positionOf(items[^1]));
    }
}

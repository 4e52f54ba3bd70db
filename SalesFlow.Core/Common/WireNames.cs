namespace SalesFlow.Core.Common;

/// <summary>
/// The one way the API reads an enum from a request: exactly one of its names, case-insensitive. Enum.TryParse also
/// takes numbers ("1", " 7") and comma lists ("keyword,vector", which it ORs into a value no caller asked for).
/// </summary>
public static class WireNames
{
    public static bool TryParse<TEnum>(string? value, out TEnum result)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                result = candidate;
                return true;
            }
        }

        result = default;
        return false;
    }

    /// <summary>The names a request may use, lower-case, for the 400's message.</summary>
    public static string List<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()));
}

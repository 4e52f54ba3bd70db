using System.Globalization;

namespace SalesFlow.Core.Analytics;

/// <summary>
/// The UTC days a report covers. <c>from</c>/<c>to</c> are ISO dates or date-times (no zone: UTC); the counters are
/// per UTC day, so a time selects its whole day. Default: the 30 days up to today.
/// </summary>
public sealed record AnalyticsRange(DateOnly From, DateOnly To)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 400;

    /// <summary>The range, or the field that is wrong and why.</summary>
    public static (AnalyticsRange? Range, string? Field, string? Error) Parse(string? from, string? to, DateTimeOffset now)
    {
        if (!TryTime(from, out var since))
        {
            return (null, "from", "from must be an ISO 8601 date or date-time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z).");
        }

        if (!TryTime(to, out var until))
        {
            return (null, "to", "to must be an ISO 8601 date or date-time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z).");
        }

        var end = until ?? now;
        var start = since ?? (until is null ? now.AddDays(-(DefaultDays - 1)) : end.AddDays(-(DefaultDays - 1)));
        if (start > end)
        {
            return (null, "from", "from must not be later than to.");
        }

        if (end - start > TimeSpan.FromDays(MaxDays))
        {
            return (null, "to", $"The range from … to may span at most {MaxDays} days.");
        }

        return (new AnalyticsRange(AnalyticsAggregation.Day(start), AnalyticsAggregation.Day(end)), null, null);
    }

    private static bool TryTime(string? value, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }
}

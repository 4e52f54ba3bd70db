namespace SalesFlow.Core.Analytics;

/// <summary>
/// Latencies are pre-aggregated as histograms (a count per bucket), so a percentile over any range of days is a sum and
/// a walk: exact to within one bucket, interpolated linearly inside it.
/// </summary>
public static class LatencyBuckets
{
    /// <summary>Upper bounds (seconds) of a lead's reply time: one second to a week; beyond the last is the open bucket.</summary>
    public static IReadOnlyList<double> ReplySeconds { get; } =
        [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 172800, 345600, 604800];

    /// <summary>Upper bounds (milliseconds) of a model call's latency.</summary>
    public static IReadOnlyList<double> AiMilliseconds { get; } =
        [25, 50, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 4000, 5000, 7500, 10000, 15000, 20000, 30000, 60000];

    /// <summary>The index of the bucket holding <paramref name="value"/> (bounds.Count: beyond the last bound).</summary>
    public static int IndexOf(IReadOnlyList<double> bounds, double value)
    {
        for (var i = 0; i < bounds.Count; i++)
        {
            if (value <= bounds[i])
            {
                return i;
            }
        }

        return bounds.Count;
    }

    /// <summary>The <paramref name="quantile"/> (0 … 1) of a histogram (counts by bucket index); null when empty.</summary>
    public static double? Percentile(IReadOnlyList<double> bounds, IReadOnlyDictionary<int, double> counts, double quantile)
    {
        var total = counts.Values.Sum();
        if (total <= 0)
        {
            return null;
        }

        var rank = quantile * total;
        var seen = 0.0;
        for (var i = 0; i <= bounds.Count; i++)
        {
            var n = counts.GetValueOrDefault(i);
            if (n <= 0)
            {
                continue;
            }

            var lower = i == 0 ? 0 : bounds[i - 1];
            if (seen + n >= rank)
            {
                if (i == bounds.Count)
                {
                    return lower; // the open bucket: at least its lower bound
                }

                var upper = bounds[i];
                return lower + ((upper - lower) * Math.Clamp((rank - seen) / n, 0, 1));
            }

            seen += n;
        }

        return bounds[^1];
    }
}

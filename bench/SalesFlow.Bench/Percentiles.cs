namespace SalesFlow.Bench;

/// <summary>The one percentile definition every bench reports with: nearest rank (p100 is the maximum).</summary>
internal static class Percentiles
{
    public static double NearestRank(IEnumerable<double> samples, double percentile)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0
            ? double.NaN
            : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

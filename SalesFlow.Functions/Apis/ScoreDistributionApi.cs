using System.Globalization;
using SalesFlow.Core.Analytics;
using SalesFlow.Core.Qualification;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// The score distribution for the console's analytics: counts by temperature and health from the stored score
/// snapshots (one per lead), read through the lead list's own paged query, so both stores answer it alike.
/// </summary>
public static class ScoreDistributionApi
{
    private const int PageSize = 500;

    /// <summary>The health buckets: fifths of 0..100, the last one closed.</summary>
    private static readonly (int Min, int Max)[] Buckets = [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)];

    private static readonly string[] Temperatures = ["hot", "warm", "cold"];

    public static IEndpointRouteBuilder MapScoreDistributionApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/analytics").WithTags("Analytics").RequireClientKey()
            .MapGet("/scores", GetAsync).WithName("GetAnalyticsScores").Produces<ScoreDistribution>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Leads created in the range by temperature (HOT/WARM/COLD) and by health score (0–100 in fifths), from their latest stored scores. from/to: ISO dates or date-times (UTC days; default the last 30 days, at most 400).");
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, ILeadScoreStore scores, TimeProvider clock, string? from, string? to, CancellationToken ct)
    {
        var (range, field, error) = AnalyticsRange.Parse(from, to, clock.GetUtcNow());
        if (range is null)
        {
            return ErrorHandling.BadField(http, field!, error!);
        }

        var client = ClientAuthenticator.CurrentClient(http);
        var temperatures = Temperatures.ToDictionary(t => t, _ => 0);
        var health = new int[Buckets.Length];
        var total = 0;
        string? after = null;
        while (true)
        {
            // Newest first, so the walk stops at the first lead created before the range.
            var page = await scores.ListAsync(client.Id, new LeadListQuery(null, null, null, LeadSort.Created, true, after, PageSize), ct);
            foreach (var snapshot in page)
            {
                var created = DateOnly.FromDateTime(snapshot.LeadCreatedAt.UtcDateTime);
                if (created < range.From)
                {
                    return Answer(range, total, temperatures, health);
                }

                if (created > range.To)
                {
                    continue;
                }

                total++;
                temperatures[snapshot.Score.Temperature] = temperatures.GetValueOrDefault(snapshot.Score.Temperature) + 1;
                health[Array.FindIndex(Buckets, b => Math.Clamp(snapshot.Score.Health, 0, 100) <= b.Max)]++;
            }

            if (page.Count < PageSize)
            {
                return Answer(range, total, temperatures, health);
            }

            after = page[^1].SortKey(LeadSort.Created);
        }
    }

    private static IResult Answer(AnalyticsRange range, int total, Dictionary<string, int> temperatures, int[] health) =>
        TypedResults.Ok(new ScoreDistribution(
            Day(range.From),
            Day(range.To),
            total,
            [.. temperatures.Select(t => new TemperatureCount(t.Key, t.Value))],
            [.. Buckets.Select((b, i) => new HealthBucket(b.Min, b.Max, health[i]))]));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

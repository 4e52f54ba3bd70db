using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using SalesFlow.Core.Crm;

namespace SalesFlow.Infrastructure.Crm;

/// <summary>
/// HubSpot's limits per access token (developers.hubspot.com/docs/guides/apps/api-usage/usage-details): a private app
/// may make 190 requests per 10 seconds (Professional and Enterprise), and the CRM search endpoints take 4 requests per
/// second per token. A call waits briefly in line for a permit; when the line is full it is not held (a transient
/// <see cref="CrmException"/> with the wait, so the sync is queued again). Per process: several instances share the
/// token's limit, and HubSpot's 429 with Retry-After then tells.
/// </summary>
public sealed class HubSpotRateLimits : IDisposable
{
    public const int RequestsPer10Seconds = 190;
    public const int SearchesPerSecond = 4;

    private readonly ConcurrentDictionary<string, (RateLimiter All, RateLimiter Search)> _byToken = new(StringComparer.Ordinal);

    /// <summary>Takes a permit for one request (a search takes one of each).</summary>
    public async Task<IDisposable> AcquireAsync(string accessToken, bool search, CancellationToken ct)
    {
        // Keyed by a hash: the token itself is not kept around longer than the call needs it.
        var limiters = _byToken.GetOrAdd(Key(accessToken), _ => (Create(RequestsPer10Seconds, TimeSpan.FromSeconds(10)), Create(SearchesPerSecond, TimeSpan.FromSeconds(1))));
        var searchLease = search ? await TakeAsync(limiters.Search, ct) : null;
        var lease = await TakeAsync(limiters.All, ct);
        return new Leases(lease, searchLease);
    }

    private static async Task<RateLimitLease> TakeAsync(RateLimiter limiter, CancellationToken ct)
    {
        var lease = await limiter.AcquireAsync(1, ct);
        if (lease.IsAcquired)
        {
            return lease;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        lease.Dispose();
        throw new CrmException("HubSpot rate limit of this token reached in SalesFlow; the sync is queued again.", permanent: false, retryAfter);
    }

    private static SlidingWindowRateLimiter Create(int permits, TimeSpan window) => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = permits,
        Window = window,
        SegmentsPerWindow = 10,
        QueueLimit = permits,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });

    private static string Key(string accessToken) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accessToken)));

    public void Dispose()
    {
        foreach (var (all, search) in _byToken.Values)
        {
            all.Dispose();
            search.Dispose();
        }
    }

    private sealed class Leases(RateLimitLease lease, RateLimitLease? searchLease) : IDisposable
    {
        public void Dispose()
        {
            lease.Dispose();
            searchLease?.Dispose();
        }
    }
}

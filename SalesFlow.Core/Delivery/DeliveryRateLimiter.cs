using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;

namespace SalesFlow.Core.Delivery;

/// <summary>
/// The send rate limits: per client sender (client and channel: each client sends from one number or address per
/// channel) and per recipient (client, channel, address). Partitioning and chaining are the BCL's
/// <see cref="PartitionedRateLimiter"/>; the recipient is asked first, so a lead's burst does not spend the sender's
/// tokens. Limits are per process: with several instances the fleet's rate is the sum (the vendor's 429 then tells,
/// and is retried honouring its Retry-After).
/// </summary>
public sealed class DeliveryRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<OutboxItem> _limiter;

    public DeliveryRateLimiter(IOptions<DeliveryOptions> options, TimeProvider clock)
    {
        var o = options.Value;
        var perRecipient = PartitionedRateLimiter.Create<OutboxItem, string>(item =>
            o.PerRecipientInterval <= TimeSpan.Zero
                ? RateLimitPartition.GetNoLimiter("none")
                : RateLimitPartition.Get($"{item.ClientId}/{item.Channel.ToWire()}/{item.Recipient}", _ => new ClockedTokenBucket(1, 1, o.PerRecipientInterval, clock)));
        var perSender = PartitionedRateLimiter.Create<OutboxItem, string>(item =>
            RateLimitPartition.Get($"{item.ClientId}/{item.Channel.ToWire()}", _ => new ClockedTokenBucket(o.PerSenderPerSecond, o.PerSenderPerSecond, TimeSpan.FromSeconds(1), clock)));
        _limiter = PartitionedRateLimiter.CreateChained(perRecipient, perSender);
    }

    /// <summary>Takes a send permit now, or says how long until one is free. Never waits.</summary>
    public (bool Acquired, TimeSpan RetryAfter) TryAcquire(OutboxItem item)
    {
        using var lease = _limiter.AttemptAcquire(item);
        if (lease.IsAcquired)
        {
            return (true, TimeSpan.Zero);
        }

        return (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1));
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/>. Ours because the BCL's <see cref="TokenBucketRateLimiter"/> reads
/// <c>Stopwatch</c> and a <c>Timer</c> directly, so a test clock cannot drive it; this one refills continuously from the
/// clock on each request and has no waiting queue (a delivery that must wait is re-enqueued, not parked in memory).
/// </summary>
internal sealed class ClockedTokenBucket : RateLimiter
{
    /// <summary>Refills are fractional: a wait of exactly the announced Retry-After must not fall short by rounding.</summary>
    private const double Tolerance = 1e-6;

    private readonly Lock _lock = new();
    private readonly int _tokenLimit;
    private readonly double _tokensPerTick;
    private readonly TimeProvider _clock;
    private double _tokens;
    private long _last;
    private long? _fullSince;

    public ClockedTokenBucket(int tokenLimit, int tokensPerPeriod, TimeSpan period, TimeProvider clock)
    {
        _tokenLimit = tokenLimit;
        _tokensPerTick = tokensPerPeriod / (double)period.Ticks;
        _clock = clock;
        _tokens = tokenLimit;
        _last = clock.GetTimestamp();
        _fullSince = _last;
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _fullSince is { } since ? _clock.GetElapsedTime(since) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Refill();
            var needed = Math.Max(permitCount, 1);
            if (_tokens + Tolerance >= needed)
            {
                _tokens = Math.Max(0, _tokens - permitCount);
                _fullSince = _tokens >= _tokenLimit ? _fullSince : null;
                return Lease.Granted;
            }

            var missing = needed - _tokens;
            return new Lease(false, TimeSpan.FromTicks((long)Math.Ceiling(missing / _tokensPerTick)));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = _clock.GetTimestamp();
        var elapsedTicks = _clock.GetElapsedTime(_last, now).Ticks;
        _last = now;
        if (_tokens >= _tokenLimit)
        {
            return;
        }

        _tokens = Math.Min(_tokenLimit, _tokens + (elapsedTicks * _tokensPerTick));
        if (_tokens >= _tokenLimit)
        {
            _fullSince = now;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}

using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using SalesFlow.Core.Ai;

namespace SalesFlow.Core.Adapters.OpenAI;

/// <summary>
/// The only retry layer of the model calls (the SDK's own retry is switched off): a Polly.Core pipeline of
/// retry (exponential backoff with jitter, Retry-After honoured up to 10 s, on 408/429/5xx, network errors and attempt
/// timeouts) around a circuit breaker (opens when at least half of the last AI:CircuitBreakerMinimumThroughput calls
/// failed, counting 401/403 too, so a wrong key stops costing a round trip per turn) around a per-attempt timeout.
/// Each attempt sends a fresh copy of the buffered request.
/// </summary>
public sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly CircuitBreakerStateProvider _breakerState = new();

    public ResilienceHandler(AiOptions options, ILogger logger, TimeProvider? time = null)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time ?? TimeProvider.System };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
                DelayGenerator = args =>
                {
                    var retryAfter = args.Outcome.Result?.Headers.RetryAfter?.Delta;
                    return ValueTask.FromResult<TimeSpan?>(retryAfter is { } d ? (d < MaxRetryAfter ? d : MaxRetryAfter) : null);
                },
                OnRetry = args =>
                {
                    logger.LogWarning(
                        "Model call attempt {Attempt} failed ({Outcome}); retrying in {Delay} ms",
                        args.AttemptNumber + 1,
                        args.Outcome.Exception?.GetType().Name ?? ((int?)args.Outcome.Result?.StatusCode)?.ToString(),
                        (int)args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = 0.5,
            MinimumThroughput = options.CircuitBreakerMinimumThroughput,
            SamplingDuration = options.CircuitBreakerSamplingDuration,
            BreakDuration = options.CircuitBreakerBreakDuration,
            StateProvider = _breakerState,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<TimeoutRejectedException>()
                .HandleResult(r => IsTransient(r.StatusCode) || r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
            OnOpened = args =>
            {
                logger.LogError("Model circuit breaker opened for {Seconds} s; the rules brain answers meanwhile", (int)args.BreakDuration.TotalSeconds);
                return default;
            },
            OnClosed = _ =>
            {
                logger.LogInformation("Model circuit breaker closed");
                return default;
            },
        });
        builder.AddTimeout(options.Timeout);
        _pipeline = builder.Build();
    }

    /// <summary>Closed, Open, HalfOpen or Isolated.</summary>
    public CircuitState CircuitState => _breakerState.CircuitState;

    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        return await _pipeline.ExecuteAsync(
            async (state, ct) =>
            {
                var attempt = Copy(state.Request, state.Body);
                return await base.SendAsync(attempt, ct);
            },
            (Request: request, Body: body),
            cancellationToken);
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }
}

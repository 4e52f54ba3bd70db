using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Infrastructure.Delivery;

/// <summary>What the three senders share when a vendor call fails: which failures are worth a retry, and when.</summary>
internal static class VendorErrors
{
    /// <summary>429 and 5xx: the vendor may take the same message later (RFC 9110 §15.6, RFC 6585 §4).</summary>
    public static bool IsTransientStatus(int status) => status == 429 || status >= 500;

    /// <summary>
    /// Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3); a date in the past means now.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders? headers, DateTimeOffset now)
    {
        if (headers?.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }

        return retryAfter.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }

    /// <summary>
    /// A call that got no answer. When the request never left (DNS, connection refused, TLS) a retry cannot send twice:
    /// transient. When it went out (the client's timeout, a connection cut while the answer was awaited) the vendor may
    /// have the message, and none of these vendors takes an idempotency key: in doubt, not retried. The caller's own
    /// cancellation is not a vendor failure and is left to propagate.
    /// </summary>
    public static DeliveryException? Unreachable(string vendor, Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException when ct.IsCancellationRequested => null,
        OperationCanceledException => DeliveryException.Unanswered($"{vendor} did not answer in time; it may have the message.", e),
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError } http =>
            new DeliveryException($"{vendor} could not be reached: {http.HttpRequestError}.", permanent: false, inner: e),
        HttpRequestException http => DeliveryException.Unanswered($"{vendor} gave no complete answer ({http.HttpRequestError}); it may have the message.", e),
        _ => null,
    };

    /// <summary>
    /// A 2xx whose body or headers lack the message id (invalid JSON, another shape, an HTML page): the vendor accepted the
    /// message, so sending it again would send it twice. In doubt, like a lost answer: the vendor's status report, which
    /// names our outbox item, settles it.
    /// </summary>
    public static DeliveryException AcceptedWithoutId(string vendor, int status, string missing) =>
        DeliveryException.Unanswered(
            $"{vendor} answered HTTP {status} (accepted) without {missing}; it has the message, so it is not sent again.",
            new FormatException($"{vendor}'s HTTP {status} answer has no {missing}."));

    public static string Status(HttpStatusCode status) => ((int)status).ToString(CultureInfo.InvariantCulture);
}

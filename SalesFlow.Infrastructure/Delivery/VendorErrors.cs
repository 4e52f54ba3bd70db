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
    /// A failure to get any answer (connection refused or reset, DNS, TLS, the client's timeout) is transient. The caller's
    /// own cancellation is not a vendor failure and is left to propagate.
    /// </summary>
    public static DeliveryException? Unreachable(string vendor, Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException when ct.IsCancellationRequested => null,
        OperationCanceledException => new DeliveryException($"{vendor} did not answer in time.", permanent: false, inner: e),
        HttpRequestException http => new DeliveryException($"{vendor} could not be reached: {http.HttpRequestError}.", permanent: false, inner: e),
        _ => null,
    };

    public static string Status(HttpStatusCode status) => ((int)status).ToString(CultureInfo.InvariantCulture);
}

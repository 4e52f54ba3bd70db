using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using SalesFlow.Core.Meetings;
using SalesFlow.Infrastructure.Http;
using SalesFlow.Infrastructure.Meetings;

namespace SalesFlow.Functions.Extensions;

public static class MeetingsExtensions
{
    /// <summary>The longest Retry-After a slots or bookings read waits for: a lead is waiting for the answer.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The calendar side of meetings: <see cref="RoutingMeetingScheduler"/> (Cal.com API v2 for a client with a complete
    /// calcom config, SalesFlow's own calendar otherwise) and the Cal.com HttpClient, whose base URL (CalCom:ApiBaseUrl)
    /// is validated at start-up. Its resilience handler retries only safe methods (GET slots, GET bookings): a POST
    /// that timed out may have booked, so it is never repeated blindly; the caller reconciles with FindBookingAsync.
    /// The meeting store itself is chosen with the other stores (<see cref="AdapterExtensions"/>).
    /// </summary>
    public static IServiceCollection AddMeetingCalendar(this IServiceCollection services)
    {
        services.AddOptions<CalComApiOptions>().BindConfiguration(CalComApiOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CalComApiOptions>>(new CalComOptionsValidation());
        var calCom = services.AddHttpClient(CalComScheduler.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan); // the pipeline's total timeout bounds a call
        calCom.AddStandardResilienceHandler(o =>
        {
            o.Retry.DisableForUnsafeHttpMethods();
            o.Retry.MaxRetryAttempts = 2;
            o.Retry.Delay = TimeSpan.FromMilliseconds(200);
            var fromHeader = o.Retry.DelayGenerator;
            o.Retry.DelayGenerator = async args => fromHeader is not null && await fromHeader(args) is { } d ? (d < MaxRetryAfter ? d : MaxRetryAfter) : null;
        });
        calCom.AddHttpMessageHandler(() => new WholeAnswerHandler()); // a read cut off mid-body is retried like one cut off before the headers
        services.AddSingleton<CalComScheduler>();
        services.AddSingleton<EmbeddedMeetingScheduler>();
        services.AddSingleton<IMeetingScheduler, RoutingMeetingScheduler>();
        services.AddSingleton<CalendarBookingUpdater>();
        return services;
    }

    private sealed class CalComOptionsValidation : IValidateOptions<CalComApiOptions>
    {
        public ValidateOptionsResult Validate(string? name, CalComApiOptions options) =>
            options.Problems().ToList() is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
    }
}

using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using SalesFlow.Core.Queue;

namespace SalesFlow.Functions.Hosting;

/// <summary>How the Functions host guards an HTTP function (the trigger's <c>authLevel</c>).</summary>
public enum HttpAuthLevel
{
    /// <summary>No key: the endpoint verifies its caller itself (webhook signatures, health probes).</summary>
    Anonymous,

    /// <summary>A function or host key (<c>x-functions-key</c> header or <c>code</c> query) on top of the app's own auth.</summary>
    Function,
}

/// <summary>One function of the app, as its <c>[Function]</c> method declares it.</summary>
public abstract record FunctionDefinition(string Name, MethodInfo Method);

/// <summary>An HTTP trigger; <see cref="Route"/> is relative to the host's routePrefix ("").</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, string Route, IReadOnlyList<string> Methods, HttpAuthLevel AuthLevel) : FunctionDefinition(Name, Method);

/// <summary>A Storage queue trigger; standalone, the QueueRunner drains <see cref="QueueName"/> into the same <see cref="IWorkHandler"/>.</summary>
public sealed record QueueFunction(string Name, MethodInfo Method, string QueueName, string? Connection) : FunctionDefinition(Name, Method)
{
    public const string StorageConnection = "AzureWebJobsStorage";
}

/// <summary>A timer trigger (6-field NCRONTAB, UTC); standalone, the TimerRunner runs the same <see cref="Runners.ITimerHandler"/> on it.</summary>
public sealed record TimerFunction(string Name, MethodInfo Method, string Schedule) : FunctionDefinition(Name, Method);

/// <summary>
/// The one source of truth for functions: read by reflection from the <c>[Function]</c> methods and their trigger
/// attributes, the same attributes the Worker SDK's source generator turns into functions.metadata for the host.
/// Standalone, Kestrel serves the routes (the HTTP functions dispatch into the same route table), the QueueRunner
/// drains <see cref="Queues"/> and the TimerRunner runs <see cref="Timers"/>. Functions of other triggers
/// (Durable orchestrations and activities) are in <see cref="All"/> only: they run only under the host.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDefinition> All { get; } = Read(typeof(FunctionCatalog).Assembly);

    public static IReadOnlyList<HttpFunction> Http { get; } = [.. All.OfType<HttpFunction>()];

    public static IReadOnlyList<QueueFunction> Queues { get; } = [.. All.OfType<QueueFunction>()];

    public static IReadOnlyList<TimerFunction> Timers { get; } = [.. All.OfType<TimerFunction>()];

    /// <summary>A function whose trigger standalone mode does not run (e.g. orchestrationTrigger, activityTrigger).</summary>
    public sealed record OtherFunction(string Name, MethodInfo Method, string Trigger) : FunctionDefinition(Name, Method);

    public static IReadOnlyList<FunctionDefinition> Read(Assembly assembly) =>
    [
        .. assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(f => f.Function is not null)
            .Select(f => Describe(f.Function!.Name, f.Method))
            .OrderBy(f => f.Name, StringComparer.Ordinal),
    ];

    private static FunctionDefinition Describe(string name, MethodInfo method)
    {
        var trigger = method.GetParameters()
            .SelectMany(p => p.GetCustomAttributes())
            .Single(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal));
        return trigger switch
        {
            HttpTriggerAttribute http => new HttpFunction(
                name,
                method,
                http.Route ?? name,
                [.. (http.Methods ?? []).Select(m => m.ToLowerInvariant())],
                http.AuthLevel == AuthorizationLevel.Anonymous ? HttpAuthLevel.Anonymous : HttpAuthLevel.Function),
            QueueTriggerAttribute queue => new QueueFunction(name, method, queue.QueueName, queue.Connection),
            TimerTriggerAttribute timer => new TimerFunction(name, method, timer.Schedule),
            _ => new OtherFunction(name, method, trigger.GetType().Name[..^"Attribute".Length]),
        };
    }
}

public static class TimerNames
{
    public const string OutboxSweep = "outbox-sweep";
    public const string InboundSweep = "inbound-sweep";
    public const string RetentionCleanup = "retention-cleanup";
    public const string SummaryRefresh = "summary-refresh";
    public const string FollowUps = "follow-ups";
    public const string CrmRetry = "crm-retry";
    public const string DailySummary = "daily-summary";
    public const string Recommendations = "recommendations-sweep";
    public const string ScoreRefresh = "score-refresh";
}

/// <summary>The timers' schedules (6-field NCRONTAB, UTC): the trigger attributes use them, so the host and the TimerRunner agree.</summary>
public static class TimerSchedules
{
    public const string OutboxSweep = "0 */1 * * * *";

    /// <summary>Half a minute after the outbox sweep, so the two do not query at the same moment.</summary>
    public const string InboundSweep = "30 */1 * * * *";

    public const string RetentionCleanup = "0 30 3 * * *";

    /// <summary>Turns refresh summaries as the hot window overflows; this tidies up leads whose last turns did not.</summary>
    public const string SummaryRefresh = "0 */15 * * * *";

    /// <summary>The standalone follow-up driver's sweep (store timers); under the host with Durable follow-ups it finds none.</summary>
    public const string FollowUps = "*/30 * * * * *";

    /// <summary>A safety net: a failed sync queues its own retry; this finds those whose re-queue was lost.</summary>
    public const string CrmRetry = "0 */5 * * * *";

    /// <summary>Every 15 minutes: each client's 08:00 falls in some run, whatever its zone's offset (a run that finds it sent does nothing).</summary>
    public const string DailySummary = "0 5,20,35,50 * * * *";

    /// <summary>Every 10 minutes: expiry and silence are measured in hours and days, and each run is a bounded batch.</summary>
    public const string Recommendations = "0 3,13,23,33,43,53 * * * *";
    /// <summary>Hourly: a lead's score decays by days, and turns refresh active leads anyway.</summary>
    public const string ScoreRefresh = "0 10 * * * *";
}

using SalesFlow.Core.Queue;

namespace SalesFlow.Functions.Hosting;

/// <summary>How the Functions host guards an HTTP function (function.json <c>authLevel</c>).</summary>
public enum HttpAuthLevel
{
    /// <summary>No key: the endpoint verifies its caller itself (webhook signatures, health probes).</summary>
    Anonymous,

    /// <summary>A function or host key (<c>x-functions-key</c> header or <c>code</c> query) on top of the app's own auth.</summary>
    Function,
}

/// <summary>One function the Functions host knows; its name is its folder and the custom handler's invocation path.</summary>
public abstract record FunctionDefinition(string Name);

/// <summary>Proxied to the app's own routes (enableProxyingHttpRequest); <see cref="Route"/> is relative to the host's routePrefix ("").</summary>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, HttpAuthLevel AuthLevel) : FunctionDefinition(Name);

/// <summary>A Storage queue trigger, invoked as <c>POST /{Name}</c>; the same <see cref="IWorkHandler"/> the standalone QueueRunner calls.</summary>
public sealed record QueueFunction(string Name, string QueueName, string Connection = QueueFunction.StorageConnection) : FunctionDefinition(Name)
{
    public const string StorageConnection = "AzureWebJobsStorage";
}

/// <summary>A timer trigger (6-field NCRONTAB, UTC), invoked as <c>POST /{Name}</c>; the same <see cref="Runners.ITimerHandler"/> the standalone TimerRunner calls.</summary>
public sealed record TimerFunction(string Name, string Schedule) : FunctionDefinition(Name);

/// <summary>
/// The one source of truth for function metadata: function.json files are generated from it
/// (<see cref="FunctionMetadataWriter"/>), the invocation endpoints are mapped from it
/// (<see cref="CustomHandlerApi"/>) and the standalone TimerRunner reads its schedules.
/// </summary>
public static class FunctionCatalog
{
    private static readonly string[] Get = ["get"];
    private static readonly string[] Post = ["post"];
    private static readonly string[] GetPost = ["get", "post"];

    /// <summary>
    /// host.json sets <c>extensions.http.routePrefix</c> to "" so /health and /ready stay at the root;
    /// the API routes therefore spell out "api/". One function per API group, so each keeps its own auth level.
    /// </summary>
    public static IReadOnlyList<HttpFunction> Http { get; } =
    [
        new("health", "health", Get, HttpAuthLevel.Anonymous),
        new("ready", "ready", Get, HttpAuthLevel.Anonymous),
        // Providers cannot send a function key; every webhook verifies the provider's signature instead.
        new("webhooks", "api/webhooks/{*rest}", GetPost, HttpAuthLevel.Anonymous),
        // The confirmation link of an e-mail address is opened from a mailbox; its token is the credential.
        new("verify", "api/verify/{*rest}", Get, HttpAuthLevel.Anonymous),
        new("conversations", "api/conversations/{*rest}", GetPost, HttpAuthLevel.Function),
        new("leads", "api/leads/{*rest}", ["get", "post", "delete"], HttpAuthLevel.Function),
        new("outbox", "api/outbox/{*rest}", Get, HttpAuthLevel.Function),
        new("intelligence", "api/intelligence/{*rest}", Post, HttpAuthLevel.Function),
        new("compliance", "api/compliance/{*rest}", Get, HttpAuthLevel.Function),
        new("usage", "api/usage/{*rest}", Get, HttpAuthLevel.Function),
        // Server-sent events: the host proxies the response as it is written (enableProxyingHttpRequest).
        new("chat", "api/chat/{*rest}", Post, HttpAuthLevel.Function),
        new("admin", "api/admin/{*rest}", GetPost, HttpAuthLevel.Function),
        new("knowledge", "api/knowledge/{*rest}", ["get", "post", "delete"], HttpAuthLevel.Function),
    ];

    public static IReadOnlyList<QueueFunction> Queues { get; } =
    [
        new(Core.Queue.Queues.ProcessInbound, Core.Queue.Queues.ProcessInbound),
        new(Core.Queue.Queues.Deliver, Core.Queue.Queues.Deliver),
        new(Core.Queue.Queues.IngestKnowledge, Core.Queue.Queues.IngestKnowledge),
    ];

    public static IReadOnlyList<TimerFunction> Timers { get; } =
    [
        new(TimerNames.OutboxSweep, "0 */1 * * * *"),
        // Half a minute after the outbox sweep, so the two do not query at the same moment.
        new(TimerNames.InboundSweep, "30 */1 * * * *"),
        new(TimerNames.RetentionCleanup, "0 30 3 * * *"),
        // Turns refresh summaries as the hot window overflows; this tidies up leads whose last turns did not.
        new(TimerNames.SummaryRefresh, "0 */15 * * * *"),
        // The standalone follow-up driver's sweep (store timers); under the host with Durable follow-ups it finds none.
        new(TimerNames.FollowUps, "*/30 * * * * *"),
    ];

    public static IEnumerable<FunctionDefinition> All => Http.Cast<FunctionDefinition>().Concat(Queues).Concat(Timers);
}

public static class TimerNames
{
    public const string OutboxSweep = "outbox-sweep";
    public const string InboundSweep = "inbound-sweep";
    public const string RetentionCleanup = "retention-cleanup";
    public const string SummaryRefresh = "summary-refresh";
    public const string FollowUps = "follow-ups";
}

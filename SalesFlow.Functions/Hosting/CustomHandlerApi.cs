using System.Diagnostics;
using System.Text.Json;
using SalesFlow.Core.Observability;
using SalesFlow.Core.Queue;
using SalesFlow.Functions.Runners;

namespace SalesFlow.Functions.Hosting;

/// <summary>Marks an endpoint that only the Functions host calls (invocations, its start-up probe), never proxied HTTP.</summary>
public sealed record CustomHandlerEndpoint(string FunctionName);

/// <summary>The custom handler's answer: <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c>.</summary>
public sealed record InvocationResponse(IReadOnlyDictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);

/// <summary>
/// The Functions host invokes every queue and timer function as <c>POST /{FunctionName}</c>. Mapped from
/// <see cref="FunctionCatalog"/>; each calls the same handler as the standalone runners. 200 completes the
/// message; 500 makes the host retry it and, after maxDequeueCount, move it to "&lt;queue&gt;-poison".
/// </summary>
public static class CustomHandlerApi
{
    /// <summary>The protocol's key names are PascalCase, not the web default camelCase.</summary>
    private static readonly JsonSerializerOptions ProtocolJson = new() { PropertyNamingPolicy = null };

    public static IEndpointRouteBuilder MapCustomHandlerInvocations(this IEndpointRouteBuilder app)
    {
        foreach (var function in FunctionCatalog.Queues)
        {
            app.MapPost("/" + function.Name, (HttpContext http, IEnumerable<IWorkHandler> handlers, ILoggerFactory loggers) => InvokeQueueAsync(function, http, handlers, loggers))
                .ExcludeFromDescription()
                .WithMetadata(new CustomHandlerEndpoint(function.Name));
        }

        foreach (var function in FunctionCatalog.Timers)
        {
            app.MapPost("/" + function.Name, (HttpContext http, IEnumerable<ITimerHandler> handlers, ILoggerFactory loggers) => InvokeTimerAsync(function, http, handlers, loggers))
                .ExcludeFromDescription()
                .WithMetadata(new CustomHandlerEndpoint(function.Name));
        }

        return app;
    }

    private static async Task<IResult> InvokeQueueAsync(QueueFunction function, HttpContext http, IEnumerable<IWorkHandler> handlers, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("SalesFlow.Functions.Invocation." + function.Name);
        var logs = new List<string>();
        InvocationRequest request;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            request = InvocationRequest.Parse(body.RootElement, FunctionMetadataWriter.QueueBindingName);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return Failed(logger, logs, function.Name, ex, "The invocation body is not a custom handler request");
        }

        if (request.Message is null)
        {
            return Failed(logger, logs, function.Name, null, $"Data.{FunctionMetadataWriter.QueueBindingName} (the queue message) is missing");
        }

        var handler = handlers.FirstOrDefault(h => h.Queue == function.QueueName);
        if (handler is null)
        {
            return Failed(logger, logs, function.Name, null, $"No handler is registered for queue {function.QueueName}");
        }

        var item = new WorkItem(request.Id ?? Guid.NewGuid().ToString("N"), function.QueueName, request.Message, request.DequeueCount);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["InvocationId"] = $"{item.Queue}/{item.Id}/{item.DequeueCount}" });
        var started = Stopwatch.GetTimestamp();
        try
        {
            await handler.HandleAsync(item, http.RequestAborted);
            logs.Add($"{function.Name}: message {item.Id} handled on try {item.DequeueCount}.");
            return Answer(StatusCodes.Status200OK, logs);
        }
        catch (Exception ex)
        {
            SalesFlowMetrics.WorkFailures.Add(1, new KeyValuePair<string, object?>("queue", item.Queue));
            return Failed(logger, logs, function.Name, ex, $"Message {item.Id} failed on try {item.DequeueCount}");
        }
        finally
        {
            SalesFlowMetrics.WorkDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("queue", item.Queue));
        }
    }

    private static async Task<IResult> InvokeTimerAsync(TimerFunction function, HttpContext http, IEnumerable<ITimerHandler> handlers, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("SalesFlow.Functions.Invocation." + function.Name);
        var logs = new List<string>();
        var handler = handlers.FirstOrDefault(h => h.Name == function.Name);
        if (handler is null)
        {
            return Failed(logger, logs, function.Name, null, $"No timer handler is registered as {function.Name}");
        }

        try
        {
            await handler.RunAsync(http.RequestAborted);
            logs.Add($"{function.Name}: ran.");
            return Answer(StatusCodes.Status200OK, logs);
        }
        catch (Exception ex)
        {
            return Failed(logger, logs, function.Name, ex, "The timer run failed");
        }
    }

    private static IResult Failed(ILogger logger, List<string> logs, string function, Exception? ex, string what)
    {
        var line = ex is null ? $"{function}: {what}." : $"{function}: {what}: {ex.GetType().Name}: {ex.Message}";
        logger.LogError(ex, "{Function}: {What}", function, what);
        logs.Add(line);
        return Answer(StatusCodes.Status500InternalServerError, logs);
    }

    private static IResult Answer(int status, IReadOnlyList<string> logs) =>
        TypedResults.Json(new InvocationResponse(new Dictionary<string, object?>(), logs, null), ProtocolJson, statusCode: status);
}

namespace SalesFlow.Functions.Extensions;

/// <summary>Structured logs with correlation ids on every request.</summary>
public static class ObservabilityExtensions
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static IHostApplicationBuilder AddSalesFlowLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (string.Equals(builder.Configuration["SalesFlow:LogFormat"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        return builder;
    }

    /// <summary>Every log line of a request carries its correlation id (the caller's, or a new one) and client id.</summary>
    public static IApplicationBuilder UseCorrelation(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("SalesFlow.Requests");
        app.Use(async (context, next) =>
        {
            // Echoed in a response header, so only printable ASCII is taken (anything else would make Kestrel throw).
            var correlationId = context.Request.Headers[CorrelationHeader].ToString() is { Length: > 0 and <= 100 } given && given.All(c => c is > ' ' and < '\u007f')
                ? given
                : context.TraceIdentifier;
            context.Response.Headers[CorrelationHeader] = correlationId;
            context.Request.RouteValues.TryGetValue("clientId", out var clientId);
            using (logger.BeginScope("correlation {CorrelationId} client {ClientId}", correlationId, clientId ?? "-"))
            {
                await next(context);
            }
        });
        return app;
    }
}

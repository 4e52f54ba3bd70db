using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;

namespace SalesFlow.Functions.Extensions;

/// <summary>Every error is problem+json naming the field; bad input is never a 500.</summary>
public static class ErrorHandling
{
    public static WebApplication UseSalesFlowErrors(this WebApplication app)
    {
        var maxBody = app.Services.GetRequiredService<IOptions<SalesFlowOptions>>().Value.MaxRequestBodyBytes;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SalesFlow.Errors");
        app.Use(async (context, next) =>
        {
            // Refuse a declared oversize body before anything reads it; a chunked one trips Kestrel's limit below.
            if (context.Request.ContentLength > maxBody)
            {
                await TooLarge(context).ExecuteAsync(context);
                return;
            }

            try
            {
                await next(context);
            }
            catch (Exception error) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var result = error switch
                {
                    ValidationException v => BadField(context, v.Field, v.Message),
                    WebhookFormatException w => BadField(context, w.Field, w.Message),
                    BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(context),
                    BadHttpRequestException { InnerException: System.Text.Json.JsonException } => BadField(context, "body", "The body is not valid JSON for this endpoint."),
                    BadHttpRequestException b => Problem(context, b.StatusCode, b.Message, "body"),
                    _ => null,
                };
                if (result is null)
                {
                    logger.LogError(error, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
                    result = Problem(context, StatusCodes.Status500InternalServerError, "An unexpected error occurred; it has been logged.", null);
                }

                context.Response.Clear();
                await result.ExecuteAsync(context);
            }
        });
        app.UseStatusCodePages();
        return app;
    }

    public static IResult Problem(HttpContext context, int status, string title, string? field)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Instance = context.Request.Path };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [title] };
        }

        problem.Extensions["traceId"] = context.TraceIdentifier;
        return TypedResults.Problem(problem);
    }

    public static IResult BadField(HttpContext context, string field, string message) => Problem(context, StatusCodes.Status400BadRequest, message, field);

    private static IResult TooLarge(HttpContext context) =>
        Problem(context, StatusCodes.Status413PayloadTooLarge, "The request body is larger than SalesFlow accepts (SalesFlow:MaxRequestBodyBytes).", "body");
}

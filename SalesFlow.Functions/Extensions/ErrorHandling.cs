using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;

namespace SalesFlow.Functions.Extensions;

/// <summary>Every error is problem+json naming the field; bad input is never a 500.</summary>
public static class ErrorHandling
{
    public static WebApplication UseSalesFlowErrors(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, title, field) = error switch
            {
                ValidationException v => (StatusCodes.Status400BadRequest, v.Message, v.Field),
                WebhookFormatException w => (StatusCodes.Status400BadRequest, w.Message, w.Field),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "The request body is larger than this endpoint accepts.", "body"),
                BadHttpRequestException b when b.InnerException is System.Text.Json.JsonException => (StatusCodes.Status400BadRequest, "The body is not valid JSON.", "body"),
                BadHttpRequestException b => (b.StatusCode, b.Message, "body"),
                _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred; it has been logged.", (string?)null),
            };
            await Problem(context, status, title, field).ExecuteAsync(context);
        }));
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
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Common;
using SalesFlow.Core.Knowledge;

namespace SalesFlow.Functions.Extensions;

/// <summary>Every error is problem+json naming the field; bad input is never a 500.</summary>
public static partial class ErrorHandling
{
    public static IApplicationBuilder UseSalesFlowErrors(this IApplicationBuilder app)
    {
        var maxBody = app.ApplicationServices.GetRequiredService<IOptions<SalesFlowOptions>>().Value.MaxRequestBodyBytes;
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("SalesFlow.Errors");
        app.Use(async (context, next) =>
        {
            if (UnreadableHeader(context.Request.Headers) is { } header)
            {
                await BadField(context, header, $"The header {header} holds a NUL or bytes that are not UTF-8 text.").ExecuteAsync(context);
                return;
            }

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
                    KnowledgeQuotaExceededException q => QuotaExceeded(context, q),
                    WebhookFormatException w => BadField(context, w.Field, w.Message),
                    BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(context),
                    BadHttpRequestException { InnerException: System.Text.Json.JsonException j } when UnreadableJsonField(j) is { } field => BadField(context, field, $"{field} is not valid UTF-8 text."),
                    BadHttpRequestException { InnerException: System.Text.Json.JsonException } => BadField(context, "body", "The body is not valid JSON for this endpoint."),
                    BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } b => Problem(context, b.StatusCode, b.Message, "Content-Type"),
                    BadHttpRequestException b => Problem(context, b.StatusCode, b.Message, BoundParameter(b) ?? "body"),
                    InvalidOperationException i when IsUnreadableJsonText(i) => BadField(context, "body", "The body holds text that is not valid UTF-8 (invalid bytes or a lone surrogate escape)."),
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
        // A status set without a body (routing's 404, 405 and 415, Kestrel's 413 met while binding, static files' 412)
        // gets the same problem+json, naming the field at fault where there is one.
        app.UseStatusCodePages(async status => await StatusProblem(status.HttpContext).ExecuteAsync(status.HttpContext));
        return app;
    }

    private static IResult StatusProblem(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => Problem(context, StatusCodes.Status404NotFound, "No route matches this path.", null),
        StatusCodes.Status405MethodNotAllowed => Problem(context, StatusCodes.Status405MethodNotAllowed, $"This route does not take {context.Request.Method}.", null),
        StatusCodes.Status412PreconditionFailed => Problem(context, StatusCodes.Status412PreconditionFailed, "If-Match does not match the current version.", "If-Match"),
        StatusCodes.Status413PayloadTooLarge => TooLarge(context),
        StatusCodes.Status415UnsupportedMediaType => Problem(context, StatusCodes.Status415UnsupportedMediaType, "This route does not read a body of this Content-Type (see its OpenAPI description).", "Content-Type"),
        StatusCodes.Status416RangeNotSatisfiable => Problem(context, StatusCodes.Status416RangeNotSatisfiable, "Range is outside the file.", "Range"),
        var code => Problem(context, code, ReasonPhrases.GetReasonPhrase(code), null),
    };

    /// <summary>
    /// The parameter a minimal API could not bind, from its BadHttpRequestException ("Failed to bind parameter
    /// \"int? max\" from \"abc\"."); null for the body, whose errors name "body". The framework has no property for it.
    /// </summary>
    private static string? BoundParameter(BadHttpRequestException error) =>
        !error.Message.Contains("request body", StringComparison.Ordinal) && BoundParameterName().Match(error.Message) is { Success: true } match ? match.Groups[1].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex("parameter \"(?:[^\"]* )?([^\" ]+)\"")]
    private static partial System.Text.RegularExpressions.Regex BoundParameterName();

    /// <summary>
    /// System.Text.Json's refusal to read a string that is not text (a lone surrogate escape, invalid UTF-8) from a
    /// JsonElement a handler holds: an InvalidOperationException whose message names UTF-8 or UTF-16.
    /// </summary>
    private static bool IsUnreadableJsonText(InvalidOperationException error) =>
        error.TargetSite?.DeclaringType?.Assembly == typeof(System.Text.Json.JsonElement).Assembly && error.Message.Contains("UTF-", StringComparison.Ordinal);

    /// <summary>The string <paramref name="value"/> holds; a 400 naming <paramref name="field"/> when it is not text.</summary>
    public static string ReadText(System.Text.Json.JsonElement value, string field)
    {
        try
        {
            return value.GetString() ?? "";
        }
        catch (InvalidOperationException e) when (IsUnreadableJsonText(e))
        {
            throw new ValidationException(field, $"{field} is not valid UTF-8 text.");
        }
    }

    /// <summary>The name of the first header whose value Kestrel could not read as text (see <see cref="RequestHeaderEncoding"/>).</summary>
    private static string? UnreadableHeader(IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                if (value is not null && value.Contains(RequestHeaderEncoding.Unreadable, StringComparison.Ordinal))
                {
                    return name;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The top-level property whose string is not text (invalid UTF-8 bytes or a lone surrogate escape), or null for
    /// other errors. System.Text.Json has no type for it: an InvalidOperationException inside the JsonException, like a
    /// wrong token type, but whose message names the UTF-8 or UTF-16 text it could not read.
    /// </summary>
    public static string? UnreadableJsonField(System.Text.Json.JsonException error) =>
        error.InnerException is InvalidOperationException inner && inner.Message.Contains("UTF-", StringComparison.Ordinal)
            && error.Path is ['$', '.', .. var name] && name.Length > 0
            ? name
            : null;

    public static IResult Problem(HttpContext context, int status, string title, string? field) => Problem(context, status, title, field, []);

    public static IResult Problem(HttpContext context, int status, string title, string? field, IEnumerable<KeyValuePair<string, object?>> extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Instance = context.Request.Path };
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }

        if (field is not null)
        {
            problem.Extensions["field"] = field;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [title] };
        }

        problem.Extensions["traceId"] = context.TraceIdentifier;
        return TypedResults.Problem(problem);
    }

    public static IResult BadField(HttpContext context, string field, string message) => Problem(context, StatusCodes.Status400BadRequest, message, field);

    /// <summary>The 404 of every /api/leads/{id}/… route: an unknown lead and another client's lead look the same.</summary>
    public static IResult LeadNotFound(HttpContext context, string id) => Problem(context, StatusCodes.Status404NotFound, $"Lead '{id}' not found.", "id");

    /// <summary>
    /// 409: the request is valid and within the size limits, but the client's stored knowledge leaves no room for it
    /// (it conflicts with what the client already holds and succeeds once something is deleted or replaced). 413
    /// stays for a request that is too large by itself. The problem names the setting (<c>limit</c>) and its value.
    /// </summary>
    private static IResult QuotaExceeded(HttpContext context, KnowledgeQuotaExceededException quota) =>
        Problem(context, StatusCodes.Status409Conflict, quota.Message, quota.Field, [new("limit", quota.Limit), new("maximum", quota.Maximum)]);

    private static IResult TooLarge(HttpContext context) =>
        Problem(context, StatusCodes.Status413PayloadTooLarge, "The request body is larger than SalesFlow accepts (SalesFlow:MaxRequestBodyBytes).", "body");
}

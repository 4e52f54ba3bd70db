using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using SalesFlow.Functions.Security;

namespace SalesFlow.Functions.Apis;

/// <summary>
/// The web console: static files from Console/ in the app's output, index.html at <c>/</c> and the modules and styles
/// at <c>/console/…</c>. Under the Functions host the "home" and "console" functions carry these routes. <c>/api/me</c>
/// tells the signed-in console which client its key belongs to.
/// </summary>
public static class ConsoleApi
{
    /// <summary>Only the app's own files: no inline script or style, no other origin, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private static readonly Lazy<PhysicalFileProvider?> Files = new(() =>
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Console");
        return Directory.Exists(root) ? new PhysicalFileProvider(root) : null;
    });

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        app.MapGet("/console/{**path}", (HttpContext http, string? path) => Serve(http, path)).ExcludeFromDescription();
        app.MapGroup("/api/me").WithTags("Console").RequireClientKey()
            .MapGet("/", Me).WithName("GetMe").WithSummary("The client the API key belongs to: {clientId, name, timeZone}.").Produces<MeResponse>();
        return app;
    }

    private static Ok<MeResponse> Me(HttpContext http)
    {
        var client = ClientAuthenticator.CurrentClient(http);
        return TypedResults.Ok(new MeResponse(client.Id, client.Name, client.TimeZone));
    }

    /// <summary>A file of the console, or 404 for anything outside it (dot segments, hidden files, backslashes, directories).</summary>
    private static IResult Serve(HttpContext http, string? path)
    {
        if (Files.Value is not { } files || !IsSafe(path) || files.GetFileInfo(path!) is not { Exists: true, IsDirectory: false, PhysicalPath: not null } file)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache"; // always revalidated, so a new deployment shows at once; the ETag makes that cheap
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        var etag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
        var contentType = ContentTypes.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream";
        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType is "application/javascript" or "text/javascript" or "application/json")
        {
            contentType += "; charset=utf-8";
        }

        return TypedResults.PhysicalFile(file.PhysicalPath, contentType, lastModified: file.LastModified, entityTag: etag);
    }

    private static bool IsSafe(string? path) =>
        !string.IsNullOrEmpty(path)
        && path.Length <= 200
        && !path.Contains('\\')
        && !path.Contains(':')
        && path.Split('/').All(segment => segment.Length > 0 && !segment.StartsWith('.'));
}

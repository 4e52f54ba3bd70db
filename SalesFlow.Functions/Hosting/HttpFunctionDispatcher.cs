using Microsoft.AspNetCore.Http.HttpResults;
using SalesFlow.Functions.Extensions;

namespace SalesFlow.Functions.Hosting;

/// <summary>
/// Under the Functions host, runs a request that an HTTP function received through the same pipeline and route table
/// the standalone app serves (<see cref="HostingExtensions.UseSalesFlowPipeline"/>), on the request's own HttpContext
/// (ASP.NET Core integration): the body is read raw (webhook signatures), responses stream as written (server-sent
/// events) and the 413 limit is the same check. The worker has no routing of its own beyond one route per function,
/// hence a few catch-all functions (one per area and auth level) in front of one route table.
/// </summary>
public sealed class HttpFunctionDispatcher(IServiceProvider services)
{
    private readonly Lazy<RequestDelegate> _pipeline = new(() =>
    {
        var app = new ApplicationBuilder(services);
        app.UseSalesFlowPipeline();
        return app.Build();
    });

    /// <summary>
    /// The answer is written to the response by the pipeline; the returned <see cref="EmptyHttpResult"/> tells the worker's
    /// FunctionsHttpProxyingMiddleware that there is nothing more to write (it executes an IResult invocation result).
    /// </summary>
    public async Task<IResult> DispatchAsync(HttpContext context)
    {
        // The worker's routing matched the function's catch-all route and set its endpoint and route values; the
        // inner EndpointRoutingMiddleware does not match again while an endpoint is set, so both are cleared.
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        await _pipeline.Value(context);
        return TypedResults.Empty;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SalesFlow.Tests.Support;

/// <summary>A route of an app built (not started) with MapSalesFlow, called in-process through its own request delegate.</summary>
public static class AppEndpoints
{
    public static RequestDelegate Named(WebApplication app, string endpointName) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == endpointName).RequestDelegate!;
}

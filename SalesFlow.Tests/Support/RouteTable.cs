using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Security;

namespace SalesFlow.Tests.Support;

/// <summary>One method of one route of the running app's route table.</summary>
/// <param name="Pattern">The route pattern with a leading slash ("/api/leads/{id}").</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Route">The parsed pattern, for filling in its parameters.</param>
/// <param name="Key">The key the route asks for (null: public on purpose).</param>
/// <param name="Accepts">The request body content types the route declares, bound or read by the handler (empty: it reads no body).</param>
public sealed record RouteEntry(string Pattern, string Method, RoutePattern Route, BearerKeyRequirement? Key, IReadOnlyList<string> Accepts)
{
    public IEnumerable<string> Parameters => Route.Parameters.Select(p => p.Name);

    public bool IsWebhook => Pattern.StartsWith("/api/webhooks/", StringComparison.Ordinal);

    /// <summary>Whether the handler reads a request body: it declares one, or it is a vendor's webhook delivery.</summary>
    public bool ReadsBody => Accepts.Count > 0 || (IsWebhook && Method == "POST");

    /// <summary>The path with each parameter replaced by <paramref name="value"/>'s answer for it (already escaped).</summary>
    public string PathWith(Func<string, string> value) =>
        "/" + string.Join('/', Route.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => value(parameter.Name),
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));

    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// The app's route table as the endpoint data source holds it, so a test "for every route" covers a route added
/// tomorrow without being told.
/// </summary>
public static class RouteTable
{
    public static IReadOnlyList<RouteEntry> Of(IServiceProvider services) =>
    [
        .. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new RouteEntry(
                "/" + e.RoutePattern.RawText!.TrimStart('/'),
                m,
                e.RoutePattern,
                e.Metadata.GetMetadata<BearerKeyRequirement>(),
                [.. e.Metadata.GetOrderedMetadata<IAcceptsMetadata>().SelectMany(a => a.ContentTypes).Concat(e.Metadata.GetOrderedMetadata<DescribedRequestBody>().SelectMany(d => d.ContentTypes))]))),
    ];
}

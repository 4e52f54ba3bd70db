using Scalar.AspNetCore;

namespace SalesFlow.Functions.Extensions;

/// <summary>
/// The OpenAPI document generated from the route table (<c>/openapi/v1.json</c>) and the Scalar API reference page
/// (<c>/api-reference</c>) for developers who integrate. Both are public: they describe the API, they open no data.
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/api-reference";

    public static IServiceCollection AddSalesFlowOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SalesFlow API";
            document.Info.Description = "The AI sales assistant's HTTP API: webhooks, leads, conversations, qualification, knowledge, analytics and operations. Management routes take the client's API key as a bearer token.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapSalesFlowOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(ReferencePath, o => o.WithTitle("SalesFlow API reference").WithOpenApiRoutePattern(DocumentPath));
        return app;
    }
}

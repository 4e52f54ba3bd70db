using Microsoft.OpenApi;
using SalesFlow.Functions.Security;
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

    /// <summary>The one document there is.</summary>
    public const string DocumentName = "v1";

    /// <summary>The security scheme's name in the document: a bearer token, the client's API key or the admin key.</summary>
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddSalesFlowOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "SalesFlow API";
                document.Info.Description = "The AI sales assistant's HTTP API: webhooks, leads, conversations, qualification, knowledge, analytics and operations. Management routes take the client's API key as a bearer token.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "Authorization: Bearer <key>. Management routes take the client's API key (returned once by POST /api/admin/clients); /api/admin routes take the operator's SalesFlow:AdminKey. Webhooks are signed by their vendor instead; health and verification links need no key.",
                };
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, context, _) =>
            {
                // A polymorphic type whose variants carry no $type on the wire (told apart by their properties): the
                // generator still names a $type discriminator, which no variant has. Left as a plain anyOf.
                if (schema.Discriminator is not null && context.JsonTypeInfo.PolymorphismOptions is { } polymorphism
                    && polymorphism.DerivedTypes.All(d => d.TypeDiscriminator is null))
                {
                    schema.Discriminator = null;
                }

                return Task.CompletedTask;
            });
            o.AddOperationTransformer(async (operation, context, ct) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<DescribedRequestBody>().LastOrDefault() is { } body && operation.RequestBody is null)
                {
                    var content = new Dictionary<string, OpenApiMediaType>();
                    foreach (var mediaType in body.ContentTypes)
                    {
                        var type = mediaType.Contains("json", StringComparison.Ordinal) ? body.Type : typeof(string);
                        content[mediaType] = new OpenApiMediaType { Schema = await context.GetOrCreateSchemaAsync(type, null, ct) };
                    }

                    operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
                }

                // Only the routes whose group (or own metadata) demands a key: webhooks, health and verify stay open.
                if (metadata.OfType<BearerKeyRequirement>().LastOrDefault() is { } key)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                    operation.Description = string.IsNullOrEmpty(operation.Description) ? $"Bearer key: {key.Accepts}." : $"{operation.Description}\n\nBearer key: {key.Accepts}.";
                }
            });
        });
        return services;
    }

    /// <summary>
    /// Documents a body the handler reads itself (JSON of <paramref name="type"/>; text for the other media types).
    /// Not <c>Accepts</c>: routing would enforce that with its own 415, and these handlers name the field in theirs.
    /// </summary>
    public static TBuilder DescribesBody<TBuilder>(this TBuilder builder, Type type, params string[] contentTypes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new DescribedRequestBody(type, contentTypes));

    public static IEndpointRouteBuilder MapSalesFlowOpenApi(this IEndpointRouteBuilder app)
    {
        // An unknown name is a 404 naming it, as problem+json like every other error (the generator answers text/plain,
        // the reference page would render for any name).
        app.MapOpenApi(DocumentPath).AddEndpointFilter(OnlyTheDocument);
        app.MapScalarApiReference(ReferencePath, o => o.WithTitle("SalesFlow API reference").WithOpenApiRoutePattern(DocumentPath)).AddEndpointFilter(OnlyTheDocument);
        return app;
    }

    private static async ValueTask<object?> OnlyTheDocument(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.GetRouteValue("documentName") is null or DocumentName
            ? await next(context)
            : ErrorHandling.Problem(context.HttpContext, StatusCodes.Status404NotFound, $"There is one API document: {DocumentName}.", "documentName");
}

/// <summary>Endpoint metadata for the OpenAPI document only: the request body a handler reads itself.</summary>
public sealed record DescribedRequestBody(Type Type, IReadOnlyList<string> ContentTypes);

using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using SalesFlow.Functions.Hosting;
using SalesFlow.Functions.Orchestrations;

namespace SalesFlow.Functions.Triggers;

// The HTTP functions: one catch-all per API area, so each keeps its own auth level and methods. The routes behind
// them are the app's one route table (Apis/*.cs), run by HttpFunctionDispatcher; standalone, Kestrel serves that same
// table directly. host.json sets routePrefix "", so /health and /ready stay at the root and API routes spell out "api/".
// The functions whose requests can store a lead's message (webhooks, conversations, chat) bind the Durable client: intake
// wakes the lead's orchestration through it (DurableLeadConversationSignals), and the worker hands it out only as a binding.

/// <summary>Liveness and readiness probes (no key: load balancers and uptime checks call them).</summary>
public sealed class ProbeFunctions(HttpFunctionDispatcher dispatcher)
{
    [Function("health")]
    public Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("ready")]
    public Task<IResult> Ready([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ready")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);
}

/// <summary>The OpenAPI document and the API reference page: they describe the API and open no data, so no key.</summary>
public sealed class ApiDescriptionFunctions(HttpFunctionDispatcher dispatcher)
{
    [Function("openapi")]
    public Task<IResult> OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("api-reference")]
    public Task<IResult> ApiReference([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api-reference/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);
}

/// <summary>
/// The web console: static files, no data (the pages call the APIs with the client's key), so no function key.
/// "home" takes the site root: a function's route cannot be empty, and a plain optional parameter would take every
/// one-segment path; an optional parameter of length 0 matches only "/" (workaround from Azure/Azure-Functions#2473;
/// the host still needs routePrefix "" and AzureWebJobsDisableHomepage=true so its own homepage stays out of the way).
/// </summary>
public sealed class ConsoleFunctions(HttpFunctionDispatcher dispatcher)
{
    [Function("home")]
    public Task<IResult> Home([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{ignored:maxlength(0)?}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("console")]
    public Task<IResult> Console([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);
}

/// <summary>Callers that cannot send a function key: they prove themselves by signature or token.</summary>
public sealed class WebhookFunctions(HttpFunctionDispatcher dispatcher, DurableClientAccessor durableClients)
{
    /// <summary>Providers cannot send a function key; every webhook verifies the provider's signature instead.</summary>
    [Function("webhooks")]
    public Task<IResult> Webhooks([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/webhooks/{*rest}")] HttpRequest request, [DurableClient] DurableTaskClient durable)
    {
        durableClients.Use(durable);
        return dispatcher.DispatchAsync(request.HttpContext);
    }

    /// <summary>The confirmation link of an e-mail address is opened from a mailbox; its token is the credential.</summary>
    [Function("verify")]
    public Task<IResult> Verify([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/verify/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);
}

/// <summary>
/// The client and admin APIs. Anonymous at the host: the web console served from this app calls them from the browser
/// with the client's API key only (a function key cannot be handed to a sales rep's browser), and every route checks
/// that key itself (RequireClientKey/RequireAdminKey; the tenant isolation tests cover every route).
/// </summary>
public sealed class ApiFunctions(HttpFunctionDispatcher dispatcher, DurableClientAccessor durableClients)
{
    [Function("conversations")]
    public Task<IResult> Conversations([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/conversations/{*rest}")] HttpRequest request, [DurableClient] DurableTaskClient durable)
    {
        durableClients.Use(durable);
        return dispatcher.DispatchAsync(request.HttpContext);
    }

    /// <summary>POST /api/leads starts the lead's follow-up cadence, which under the host is the lead's orchestration.</summary>
    [Function("leads")]
    public Task<IResult> Leads([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", Route = "api/leads/{*rest}")] HttpRequest request, [DurableClient] DurableTaskClient durable)
    {
        durableClients.Use(durable);
        return dispatcher.DispatchAsync(request.HttpContext);
    }

    [Function("outbox")]
    public Task<IResult> Outbox([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/outbox/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("intelligence")]
    public Task<IResult> Intelligence([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/intelligence/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("compliance")]
    public Task<IResult> Compliance([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/compliance/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("analytics")]
    public Task<IResult> Analytics([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/analytics/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("operations")]
    public Task<IResult> Operations([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/operations/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("usage")]
    public Task<IResult> Usage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/usage/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    /// <summary>Server-sent events: with ASP.NET Core integration the host proxies the response as the worker writes it.</summary>
    [Function("chat")]
    public Task<IResult> Chat([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/chat/{*rest}")] HttpRequest request, [DurableClient] DurableTaskClient durable)
    {
        durableClients.Use(durable);
        return dispatcher.DispatchAsync(request.HttpContext);
    }

    [Function("admin")]
    public Task<IResult> Admin([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/admin/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    /// <summary>GET /api/me: which client the key belongs to (the console asks after sign-in).</summary>
    [Function("me")]
    public Task<IResult> Me([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("clients")]
    public Task<IResult> Clients([HttpTrigger(AuthorizationLevel.Anonymous, "get", "patch", Route = "api/clients/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("recommendations")]
    public Task<IResult> Recommendations([HttpTrigger(AuthorizationLevel.Anonymous, "get", "patch", Route = "api/recommendations/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("playbooks")]
    public Task<IResult> Playbooks([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/playbooks/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);

    [Function("knowledge")]
    public Task<IResult> Knowledge([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", Route = "api/knowledge/{*rest}")] HttpRequest request) => dispatcher.DispatchAsync(request.HttpContext);
}

using System.Net;
using Microsoft.Azure.Cosmos;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Core.Observability;

namespace SalesFlow.Tests.Adapters.Azure;

/// <summary>How Cosmos answers feed readiness: only a write the account fails counts against storage.</summary>
public sealed class CosmosWriteHealthHandlerTests
{
    [Theory]
    [InlineData("POST", false, HttpStatusCode.ServiceUnavailable, true)]
    [InlineData("PUT", false, HttpStatusCode.InternalServerError, true)]
    [InlineData("PATCH", false, HttpStatusCode.RequestTimeout, true)]
    [InlineData("POST", false, HttpStatusCode.Conflict, false)]
    [InlineData("PUT", false, HttpStatusCode.PreconditionFailed, false)]
    [InlineData("POST", true, HttpStatusCode.ServiceUnavailable, false)]
    [InlineData("GET", false, HttpStatusCode.ServiceUnavailable, false)]
    public async Task AWriteTheAccountFailsCountsAgainstStorageAndNothingElseDoes(string method, bool query, HttpStatusCode status, bool failing)
    {
        var health = new RuntimeHealth();
        var request = new RequestMessage(new HttpMethod(method), new Uri("dbs/salesflow/colls/conversations/docs", UriKind.Relative));
        if (query)
        {
            request.Headers.Add("x-ms-documentdb-isquery", "True");
        }

        var handler = new CosmosWriteHealthHandler(health) { InnerHandler = new Answers(status) };
        using var response = await handler.SendAsync(request, default);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(failing, health.FailingWrites is { Source: "cosmos" });
    }

    [Fact]
    public async Task AWriteThatGetsNoAnswerCountsAgainstStorageAndIsRethrown()
    {
        var health = new RuntimeHealth();
        var handler = new CosmosWriteHealthHandler(health) { InnerHandler = new Throws() };

        await Assert.ThrowsAsync<HttpRequestException>(() => handler.SendAsync(new RequestMessage(HttpMethod.Post, new Uri("dbs/x/colls/y/docs", UriKind.Relative)), default));

        Assert.Contains("HttpRequestException: connection refused", health.FailingWrites!.Error, StringComparison.Ordinal);
    }

    private sealed class Answers(HttpStatusCode status) : RequestHandler
    {
        public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new ResponseMessage(status, request, "from the account"));
    }

    private sealed class Throws : RequestHandler
    {
        public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken) =>
            throw new HttpRequestException("connection refused");
    }
}

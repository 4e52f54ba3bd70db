using System.Net;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>The meeting routes under the Functions host's shape: the existing catch-all HTTP functions serve them.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class MeetingRoutesThroughFunctionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private InProcessApp _functions = null!;

    public async Task InitializeAsync() => _functions = await InProcessApp.BehindHttpFunctionsAsync(new()
    {
        ["SalesFlow:Queue"] = "storage",
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
    });

    public async Task DisposeAsync() => await _functions.DisposeAsync();

    [Fact]
    public async Task AnUnsignedCalComWebhookReachesItsRouteThroughTheWebhooksFunctionAndIs401()
    {
        const string path = "/api/webhooks/calcom/demo";
        var response = await _functions.Http.PostAsync(path, new StringContent("{}"));

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "X-Cal-Signature-256");
        Assert.Equal("webhooks", _functions.ReceivedBy["POST " + path]);
        Assert.Equal("/api/webhooks/calcom/{clientId}", _functions.Answered["POST " + path]);
    }

    [Fact]
    public async Task ALeadsMeetingsAreServedThroughTheLeadsFunction()
    {
        const string path = "/api/leads/lead_unknown/meetings";
        var response = await _functions.Http.GetAsync(path);

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.NotFound, "id");
        Assert.Equal("leads", _functions.ReceivedBy["GET " + path]);
        Assert.Equal("/api/leads/{id}/meetings", _functions.Answered["GET " + path]);
    }
}

/// <summary>The analytics routes under the Functions host's shape: the "analytics" HTTP function serves them.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AnalyticsRoutesThroughFunctionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private InProcessApp _functions = null!;

    public async Task InitializeAsync() => _functions = await InProcessApp.BehindHttpFunctionsAsync(new()
    {
        ["SalesFlow:Queue"] = "storage",
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
    });

    public async Task DisposeAsync() => await _functions.DisposeAsync();

    [Theory]
    [InlineData("funnel")]
    [InlineData("personality")]
    [InlineData("channels")]
    [InlineData("autonomy")]
    [InlineData("ai-usage")]
    public async Task EachAnalyticsRouteIsServedThroughTheAnalyticsFunction(string route)
    {
        var path = "/api/analytics/" + route;
        var response = await _functions.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("analytics", _functions.ReceivedBy["GET " + path]);
        Assert.Equal(path, _functions.Answered["GET " + path]);
    }
}

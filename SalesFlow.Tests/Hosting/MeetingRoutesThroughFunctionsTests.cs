using System.Net;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>The meeting routes under the Functions host's shape: the existing catch-all HTTP functions serve them.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class MeetingRoutesThroughFunctionsTests(AzuriteFixture azurite) : BehindHttpFunctionsTests(azurite)
{
    [Fact]
    public async Task AnUnsignedCalComWebhookReachesItsRouteThroughTheWebhooksFunctionAndIs401()
    {
        const string path = "/api/webhooks/calcom/demo";
        var response = await Functions.Http.PostAsync(path, new StringContent("{}"));

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "X-Cal-Signature-256");
        Assert.Equal("webhooks", Functions.ReceivedBy["POST " + path]);
        Assert.Equal("/api/webhooks/calcom/{clientId}", Functions.Answered["POST " + path]);
    }

    [Fact]
    public async Task ALeadsMeetingsAreServedThroughTheLeadsFunction()
    {
        const string path = "/api/leads/lead_unknown/meetings";
        var response = await Functions.Http.GetAsync(path);

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.NotFound, "id");
        Assert.Equal("leads", Functions.ReceivedBy["GET " + path]);
        Assert.Equal("/api/leads/{id}/meetings", Functions.Answered["GET " + path]);
    }
}

/// <summary>The analytics routes under the Functions host's shape: the "analytics" HTTP function serves them.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AnalyticsRoutesThroughFunctionsTests(AzuriteFixture azurite) : BehindHttpFunctionsTests(azurite)
{
    [Theory]
    [InlineData("funnel")]
    [InlineData("personality")]
    [InlineData("channels")]
    [InlineData("autonomy")]
    [InlineData("ai-usage")]
    public async Task EachAnalyticsRouteIsServedThroughTheAnalyticsFunction(string route)
    {
        var path = "/api/analytics/" + route;
        var response = await Functions.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("analytics", Functions.ReceivedBy["GET " + path]);
        Assert.Equal(path, Functions.Answered["GET " + path]);
    }
}

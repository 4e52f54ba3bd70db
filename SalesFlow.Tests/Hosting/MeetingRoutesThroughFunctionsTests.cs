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

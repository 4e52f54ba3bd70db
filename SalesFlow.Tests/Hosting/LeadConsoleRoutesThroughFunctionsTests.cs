using System.Net;
using System.Net.Http.Json;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>The timeline, take-over and rep-reply routes under the Functions host: the leads function's catch-all route serves them.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LeadConsoleRoutesThroughFunctionsTests(AzuriteFixture azurite) : BehindHttpFunctionsTests(azurite)
{
    [Theory]
    [InlineData("GET", "/api/leads/lead_unknown/timeline", "/api/leads/{id}/timeline")]
    [InlineData("POST", "/api/leads/lead_unknown/takeover", "/api/leads/{id}/takeover")]
    [InlineData("POST", "/api/leads/lead_unknown/replies", "/api/leads/{id}/replies")]
    public async Task The_lead_console_routes_are_served_through_the_leads_function(string method, string path, string route)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { text = "Hi", by = "Rita", id = "k1" });
        }

        await ApiJson.AssertProblemAsync(await Functions.Http.SendAsync(request), HttpStatusCode.NotFound, "id");
        Assert.Equal("leads", Functions.ReceivedBy[$"{method} {path}"]);
        Assert.Equal(route, Functions.Answered[$"{method} {path}"]);
    }
}

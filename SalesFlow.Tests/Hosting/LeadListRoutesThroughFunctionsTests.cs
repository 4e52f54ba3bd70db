using System.Net;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// The lead list and DISC routes under the Functions host's shape: the leads function's catch-all route
/// (<c>api/leads/{*rest}</c>) also matches the bare <c>/api/leads</c> (a catch-all may be empty), so no new function is needed.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class LeadListRoutesThroughFunctionsTests(AzuriteFixture azurite) : BehindHttpFunctionsTests(azurite)
{
    [Fact]
    public async Task The_bare_lead_list_is_served_through_the_leads_function()
    {
        const string path = "/api/leads?sort=-score";
        var response = await Functions.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("leads", Functions.ReceivedBy["GET /api/leads"]);
        Assert.Equal("/api/leads", Functions.Answered["GET /api/leads"]);
    }

    [Fact]
    public async Task The_personality_routes_are_served_through_the_leads_function()
    {
        const string path = "/api/leads/lead_unknown/personality/recommendations";
        await ApiJson.AssertProblemAsync(await Functions.Http.GetAsync(path), HttpStatusCode.NotFound, "id");
        Assert.Equal("leads", Functions.ReceivedBy["GET " + path]);
        Assert.Equal("/api/leads/{id}/personality/recommendations", Functions.Answered["GET " + path]);

        const string analyze = "/api/leads/lead_unknown/personality/analyze";
        await ApiJson.AssertProblemAsync(await Functions.Http.PostAsync(analyze, null), HttpStatusCode.NotFound, "id");
        Assert.Equal("leads", Functions.ReceivedBy["POST " + analyze]);
    }
}

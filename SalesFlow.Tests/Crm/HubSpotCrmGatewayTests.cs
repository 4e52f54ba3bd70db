using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SalesFlow.Core.Crm;
using SalesFlow.Infrastructure.Crm;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Crm;

/// <summary>The HubSpot adapter on its own against the in-test HubSpot: request shapes, errors, properties, the per-token limits.</summary>
public sealed class HubSpotCrmGatewayTests : IAsyncLifetime
{
    private static readonly CrmAccount Account = new("acme", CrmTestBed.Token);
    private readonly ServiceProvider _http = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private HubSpotApiServer _server = null!;
    private HubSpotCrmGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _server = await HubSpotApiServer.StartAsync(CrmTestBed.Token);
        _gateway = Gateway(_server.BaseUrlSetting);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _http.DisposeAsync();
    }

    private HubSpotCrmGateway Gateway(string baseUrl) =>
        new(_http.GetRequiredService<IHttpClientFactory>(), Options.Create(new HubSpotApiOptions { ApiBaseUrl = baseUrl }), new HubSpotRateLimits(), TimeProvider.System);

    [Fact]
    public async Task Custom_properties_are_created_once_per_process_and_one_that_exists_already_is_fine()
    {
        _server.ContactProperties["ai_temperature"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "ai_temperature" };

        await _gateway.EnsureContactPropertiesAsync(Account, CrmContactProperties.Custom, default);
        await _gateway.EnsureContactPropertiesAsync(Account, CrmContactProperties.Custom, default);

        var creates = _server.Calls("POST", "/crm/v3/properties/contacts");
        Assert.Equal(CrmContactProperties.Custom.Count, creates.Count);
        var score = creates.Single(c => c.Json!["name"]!.GetValue<string>() == "ai_lead_score").Json!;
        Assert.Equal(("number", "number", "contactinformation"), (score["type"]!.GetValue<string>(), score["fieldType"]!.GetValue<string>(), score["groupName"]!.GetValue<string>()));
        Assert.Equal(CrmContactProperties.Custom.Count, _server.ContactProperties.Count);
    }

    [Fact]
    public async Task The_contact_search_sends_one_EQ_filter_group_and_the_upsert_updates_the_contact_it_finds()
    {
        _server.Contacts["51"] = new HubSpotApiServer.CrmObject("51", new() { ["email"] = "Anna.Meyer@acme.example" }, [], DateTimeOffset.UtcNow);

        var result = await _gateway.UpsertContactAsync(Account, null, "anna.meyer@acme.example", null, new Dictionary<string, string> { ["firstname"] = "Anna" }, default);

        Assert.Equal(new CrmContactResult("51", false), result);
        var search = Assert.Single(_server.Calls("POST", "/crm/v3/objects/contacts/search"));
        Assert.StartsWith("application/json", search.Headers["Content-Type"], StringComparison.Ordinal);
        var filter = search.Json!["filterGroups"]![0]!["filters"]![0]!;
        Assert.Equal(("email", "EQ", "anna.meyer@acme.example"), (filter["propertyName"]!.GetValue<string>(), filter["operator"]!.GetValue<string>(), filter["value"]!.GetValue<string>()));
        Assert.Equal("Anna", _server.Contacts["51"].Properties["firstname"]);
    }

    [Fact]
    public async Task A_known_contact_deleted_in_HubSpot_is_searched_for_and_created_again()
    {
        var result = await _gateway.UpsertContactAsync(Account, "999", "new@acme.example", null, new Dictionary<string, string> { ["email"] = "new@acme.example" }, default);

        Assert.True(result.Created);
        Assert.Equal("new@acme.example", _server.Contacts[result.ContactId].Properties["email"]);
    }

    [Fact]
    public async Task A_validation_error_is_permanent_with_HubSpots_category_message_and_correlation_id()
    {
        var e = await Assert.ThrowsAsync<CrmException>(() => _gateway.UpsertContactAsync(Account, null, null, null, new Dictionary<string, string> { ["ai_unknown"] = "x" }, default));

        Assert.True(e.Permanent);
        Assert.Equal(400, e.Status);
        Assert.Contains("HubSpot 400 VALIDATION_ERROR: Property values were not valid", e.Message, StringComparison.Ordinal);
        Assert.Contains("correlationId", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_is_transient_with_Retry_After_and_a_5xx_transient_without()
    {
        _server.Enqueue(HubSpotApiServer.TooManyRequests(3), HubSpotApiServer.ServiceUnavailable());

        var throttled = await Assert.ThrowsAsync<CrmException>(() => _gateway.MoveDealAsync(Account, "1", "s", default));
        var down = await Assert.ThrowsAsync<CrmException>(() => _gateway.MoveDealAsync(Account, "1", "s", default));

        Assert.Equal((false, TimeSpan.FromSeconds(3), 429), (throttled.Permanent, throttled.RetryAfter, throttled.Status));
        Assert.Equal((false, (TimeSpan?)null, 503), (down.Permanent, down.RetryAfter, down.Status));
    }

    [Fact]
    public async Task HubSpot_out_of_reach_is_transient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var e = await Assert.ThrowsAsync<CrmException>(() => Gateway($"http://127.0.0.1:{port}").LogNoteAsync(Account, new CrmNote("n", DateTimeOffset.UtcNow, "1", null), default));

        Assert.False(e.Permanent);
    }

    [Fact]
    public async Task A_search_beyond_what_the_tokens_4_per_second_can_queue_is_not_held_but_transient_and_other_tokens_are_unaffected()
    {
        using var limits = new HubSpotRateLimits();
        var held = Enumerable.Range(0, 2 * HubSpotRateLimits.SearchesPerSecond).Select(_ => limits.AcquireAsync("pat-a", search: true, default)).ToList();

        var e = await Assert.ThrowsAsync<CrmException>(() => limits.AcquireAsync("pat-a", search: true, default));
        Assert.False(e.Permanent);
        Assert.NotNull(e.RetryAfter);
        (await limits.AcquireAsync("pat-b", search: true, default)).Dispose();

        foreach (var lease in await Task.WhenAll(held))
        {
            lease.Dispose();
        }
    }
}

using System.Net;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>The delivery report webhooks under the Functions host's shape: the catch-all "webhooks" HTTP function serves them.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class DeliveryStatusWebhooksThroughFunctionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private InProcessApp _functions = null!;

    public async Task InitializeAsync() => _functions = await InProcessApp.BehindHttpFunctionsAsync(new()
    {
        ["SalesFlow:Queue"] = "storage",
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
    });

    public async Task DisposeAsync() => await _functions.DisposeAsync();

    [Theory]
    [InlineData("/api/webhooks/twilio/demo/status", "/api/webhooks/twilio/{clientId}/status", "X-Twilio-Signature")]
    [InlineData("/api/webhooks/sendgrid/demo/events", "/api/webhooks/sendgrid/{clientId}/events", "X-Twilio-Email-Event-Webhook-Signature")]
    public async Task AnUnsignedReportReachesItsRouteThroughTheWebhooksFunctionAndIs401(string path, string route, string header)
    {
        var response = await _functions.Http.PostAsync(path, new StringContent("[]"));

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.Unauthorized, header);
        Assert.Equal("webhooks", _functions.ReceivedBy["POST " + path]);
        Assert.Equal(route, _functions.Answered["POST " + path]);
    }
}

using System.Net;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Hosting;

/// <summary>The delivery report webhooks under the Functions host's shape: the catch-all "webhooks" HTTP function serves them.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class DeliveryStatusWebhooksThroughFunctionsTests(AzuriteFixture azurite) : BehindHttpFunctionsTests(azurite)
{
    [Theory]
    [InlineData("/api/webhooks/twilio/demo/status", "/api/webhooks/twilio/{clientId}/status", "X-Twilio-Signature")]
    [InlineData("/api/webhooks/sendgrid/demo/events", "/api/webhooks/sendgrid/{clientId}/events", "X-Twilio-Email-Event-Webhook-Signature")]
    public async Task AnUnsignedReportReachesItsRouteThroughTheWebhooksFunctionAndIs401(string path, string route, string header)
    {
        var response = await Functions.Http.PostAsync(path, new StringContent("[]"));

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.Unauthorized, header);
        Assert.Equal("webhooks", Functions.ReceivedBy["POST " + path]);
        Assert.Equal(route, Functions.Answered["POST " + path]);
    }
}

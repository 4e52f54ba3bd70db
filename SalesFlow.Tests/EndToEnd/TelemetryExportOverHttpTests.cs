using System.Net;
using SalesFlow.Functions.Extensions;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// The real app, with OTEL_EXPORTER_OTLP_ENDPOINT pointed at an in-test OTLP/HTTP receiver, exports SalesFlow's
/// metrics, the request spans and logs (with the correlation id) under its service name, and never a webhook secret.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TelemetryExportOverHttpTests
{
    private static Dictionary<string, string> OtlpSettings(OtlpReceiver receiver) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        // Short export intervals so the polling below does not wait for the 60 s / 5 s defaults.
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
    };

    [Fact]
    public async Task AProcessedWebhookIsExportedAsSalesFlowMetricsAndRequestSpansUnderTheServiceName()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = await StartAsync(OtlpSettings(receiver));

        var correlationId = "otel-" + Guid.NewGuid().ToString("N");
        await PostEmailAsync(app, Webhooks.AuthenticSendGridEmail($"otel{Guid.NewGuid():N}@buyer-corp.example", "Hello, we need 20 licences by next month."), correlationId);

        await Eventually.ReturnsAsync(
            () => Task.FromResult(receiver.Exports("metrics").Any(e => e.Contains("salesflow.inbound.messages"))),
            found => found,
            because: "the inbound counter of the processed webhook is exported");
        await Eventually.ReturnsAsync(
            () => Task.FromResult(receiver.Exports("traces").Any(e => e.Contains("/api/webhooks/email/{clientId}"))),
            found => found,
            because: "the webhook request's span is exported");
        await Eventually.ReturnsAsync(
            () => Task.FromResult(receiver.Exports("logs").Any(e => e.Contains(correlationId) && e.Contains("CorrelationId"))),
            found => found,
            because: "the intake's log line is exported with the request's correlation id as an attribute");
        Assert.All(receiver.Received, e => Assert.Equal("application/x-protobuf", e.ContentType));
        Assert.Contains(receiver.Exports("metrics"), e => e.Contains("salesflow") && e.Contains("service.name"));
        Assert.Contains(receiver.Exports("traces"), e => e.Contains("salesflow") && e.Contains("service.version"));
    }

    [Fact]
    public async Task TheEmailWebhookSecretInTheUrlAppearsInNoExportedSpanLogOrMetric()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = await StartAsync(OtlpSettings(receiver));

        await PostEmailAsync(app, Webhooks.AuthenticSendGridEmail($"otel{Guid.NewGuid():N}@buyer-corp.example", "Hello, what does it cost?"));
        // A wrong secret too: a refused request is recorded with its status, and its URL holds a key as well.
        using (var anonymous = app.Anonymous())
        using (var refused = await anonymous.PostAsync("/api/webhooks/email/demo?key=wrong-secret-value-1234", Webhooks.AuthenticSendGridEmail("x@buyer-corp.example", "Hi")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Each server span carries its url.path once.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(receiver.Exports("traces").Sum(e => e.Occurrences("/api/webhooks/email/demo"))),
            count => count >= 2,
            because: "both webhook requests' spans are exported");
        Assert.NotEmpty(receiver.Exports("logs"));
        Assert.DoesNotContain(receiver.Received, e => e.Contains(EmailWebhookSecret));
        Assert.DoesNotContain(receiver.Received, e => e.Contains("wrong-secret-value-1234"));
        Assert.DoesNotContain(receiver.Received, e => e.Contains("key="));
    }

    private static async Task PostEmailAsync(SalesFlowAppProcess app, MultipartFormDataContent form, string? correlationId = null)
    {
        using (form)
        {
            using var anonymous = app.Anonymous();
            if (correlationId is not null)
            {
                anonymous.DefaultRequestHeaders.Add(ObservabilityExtensions.CorrelationHeader, correlationId);
            }

            using var response = await anonymous.PostAsync($"/api/webhooks/email/demo?key={EmailWebhookSecret}", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}

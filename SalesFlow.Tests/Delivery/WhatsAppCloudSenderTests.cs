using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Infrastructure.Delivery;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Delivery;

/// <summary>The Cloud API sender against an in-test Graph API server (real Kestrel, Meta's wire format).</summary>
public sealed class WhatsAppCloudSenderTests : IAsyncLifetime
{
    private const string PhoneNumberId = "106540352242922";
    private const string AccessToken = "EAAGm0PX4ZCpsBA-test-token-7c1d";

    private WhatsAppGraphServer _graph = null!;
    private SenderTestHost _host = null!;

    private static WhatsAppConfig Config => new(PhoneNumberId, AccessToken);

    private WhatsAppCloudSender Sender => _host.Get<WhatsAppCloudSender>();

    public async Task InitializeAsync()
    {
        _graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, AccessToken);
        _host = SenderTestHost.Create(new() { ["WhatsApp:GraphBaseUrl"] = _graph.BaseUrlSetting, ["WhatsApp:GraphVersion"] = "v23.0" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task ATextGoesToThePhoneNumbersMessagesWithTheClientsBearerTokenAndTheWamidComesBack()
    {
        var item = SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678");

        var wamid = await Sender.SendAsync(item, Config, CancellationToken.None);

        var call = Assert.Single(_graph.Sends);
        Assert.Equal($"/v23.0/{PhoneNumberId}/messages", call.Path);
        Assert.Equal($"Bearer {AccessToken}", call.Headers["Authorization"]);
        Assert.StartsWith("application/json", call.Headers["Content-Type"], StringComparison.Ordinal);
        var body = call.Json!;
        Assert.Equal("whatsapp", body["messaging_product"]!.GetValue<string>());
        Assert.Equal("+4915112345678", body["to"]!.GetValue<string>());
        Assert.Equal("text", body["type"]!.GetValue<string>());
        Assert.Equal(item.Text, body["text"]!["body"]!.GetValue<string>());
        Assert.Equal(item.Id, body["biz_opaque_callback_data"]!.GetValue<string>());
        Assert.StartsWith("wamid.", wamid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATemplateGoesWithItsNameLanguageAndBodyParametersInOrder()
    {
        var item = SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678") with
        {
            Template = new TemplateMessage("follow_up_1", "de", ["Anna", "Acme GmbH"]),
        };

        await Sender.SendAsync(item, Config, CancellationToken.None);

        var body = Assert.Single(_graph.Sends).Json!;
        Assert.Equal("template", body["type"]!.GetValue<string>());
        Assert.Null(body["text"]);
        var template = body["template"]!;
        Assert.Equal("follow_up_1", template["name"]!.GetValue<string>());
        Assert.Equal("de", template["language"]!["code"]!.GetValue<string>());
        var component = Assert.Single(template["components"]!.AsArray())!;
        Assert.Equal("body", component["type"]!.GetValue<string>());
        Assert.Equal(["Anna", "Acme GmbH"], component["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        Assert.All(component["parameters"]!.AsArray(), p => Assert.Equal("text", p!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ARecipientMetaRefusesIsAPermanentFailureWithTheGraphCodeAndMessage()
    {
        _graph.Enqueue(WhatsAppGraphServer.RecipientNotAllowed());

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+15550001111"), Config, CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Equal("131030", e.VendorCode);
        Assert.Contains("Recipient phone number not in allowed list", e.Message, StringComparison.Ordinal);
        Assert.Contains("subcode 2494010", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongAccessTokenIsPermanentWithGraphCode190()
    {
        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678"), Config with { AccessToken = "EAAG-revoked-token" }, CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Equal("190", e.VendorCode);
    }

    [Fact]
    public async Task MetasThrottlingIsRetryableThoughItComesAsHttp400()
    {
        _graph.Enqueue(WhatsAppGraphServer.ThroughputReached());

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678"), Config, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Equal("130429", e.VendorCode);
    }

    [Fact]
    public async Task AServerErrorIsRetryable()
    {
        _graph.Enqueue(WhatsAppGraphServer.InternalError());

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678"), Config, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Equal("131000", e.VendorCode);
        Assert.Null(e.RetryAfter);
        Assert.Single(_graph.Sends); // no HTTP-level retry: the delivery service retries, after its backoff
    }

    [Fact]
    public async Task A429WithRetryAfterSecondsIsRetryableNoSoonerThanThat()
    {
        _graph.Enqueue(WhatsAppGraphServer.Error(429, 4, "(#4) Application request limit reached", headers: new Dictionary<string, string> { ["Retry-After"] = "17" }));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678"), Config, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Equal(TimeSpan.FromSeconds(17), e.RetryAfter);
    }

    [Fact]
    public async Task AnAnswerThatTakesLongerThanTheTimeoutLeavesTheOutcomeUnknownAndWasSentOnce()
    {
        // 2 s, not less: on a loaded machine a shorter timeout can expire before the in-test server has even read the call.
        await using var host = SenderTestHost.Create(new() { ["WhatsApp:GraphBaseUrl"] = _graph.BaseUrlSetting }, vendorCallTimeout: TimeSpan.FromSeconds(2));
        _graph.Enqueue(new VendorResponse(200, "{}", Delay: TimeSpan.FromSeconds(30)));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => host.Get<WhatsAppCloudSender>().SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678"), Config, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.True(e.OutcomeUnknown);
        Assert.Contains("did not answer in time", e.Message, StringComparison.Ordinal);
        Assert.Single(_graph.Sends);
    }

    [Fact]
    public async Task AnUnreachableGraphApiIsRetryable()
    {
        await using var host = SenderTestHost.Create(new() { ["WhatsApp:GraphBaseUrl"] = ClosedPort.Url() });

        var e = await Assert.ThrowsAsync<DeliveryException>(() => host.Get<WhatsAppCloudSender>().SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678"), Config, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.False(e.OutcomeUnknown); // never reached: a retry cannot send twice
    }
}

internal static class ClosedPort
{
    /// <summary>A loopback URL nothing listens on: a port taken and released again.</summary>
    public static string Url()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}

using System.Globalization;
using System.Text;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Infrastructure.Delivery;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Delivery;

/// <summary>The Twilio sender (the Twilio SDK, its host replaced by Twilio:ApiBaseUrl) against an in-test Messages API.</summary>
public sealed class TwilioMessageSenderTests : IAsyncLifetime
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "twilio-auth-token-5e5e";

    private TwilioApiServer _twilio = null!;
    private SenderTestHost _host = null!;

    private static TwilioConfig Sms => new(AccountSid, AuthToken, SmsFrom: "+15005550006");

    private TwilioMessageSender Sender => _host.Get<TwilioMessageSender>();

    public async Task InitializeAsync()
    {
        _twilio = await TwilioApiServer.StartAsync(AccountSid, AuthToken);
        _host = SenderTestHost.Create(new()
        {
            ["Twilio:ApiBaseUrl"] = _twilio.BaseUrlSetting,
            ["SalesFlow:PublicBaseUrl"] = "https://salesflow.example.com",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    [Fact]
    public async Task AnSmsIsOneMessagesCreateWithBasicAuthTheFormAndTheStatusCallbackAndTheSidComesBack()
    {
        var item = SenderTestHost.Item(ChannelKind.Sms, "+4915112345678");

        var sid = await Sender.SendAsync(item, Sms, CancellationToken.None);

        var call = Assert.Single(_twilio.Sends);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Messages.json", call.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), call.Headers["Authorization"]);
        Assert.StartsWith("application/x-www-form-urlencoded", call.Headers["Content-Type"], StringComparison.Ordinal);
        var form = TwilioApiServer.Form(call);
        Assert.Equal("+4915112345678", form["To"]);
        Assert.Equal("+15005550006", form["From"]);
        Assert.Equal(item.Text, form["Body"]);
        Assert.Equal($"https://salesflow.example.com/api/webhooks/twilio/acme/status?outboxId={item.Id}", form["StatusCallback"]);
        Assert.Matches("^SM[0-9a-f]{32}$", sid);
    }

    [Fact]
    public async Task AMessagingServiceSendsByItsSidInsteadOfAFromNumber()
    {
        await Sender.SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+4915112345678"), Sms with { SmsFrom = null, MessagingServiceSid = "MG0123456789abcdef0123456789abcdef" }, CancellationToken.None);

        var form = TwilioApiServer.Form(Assert.Single(_twilio.Sends));
        Assert.Equal("MG0123456789abcdef0123456789abcdef", form["MessagingServiceSid"]);
        Assert.False(form.ContainsKey("From"));
    }

    [Fact]
    public async Task WhatsAppThroughTwilioUsesWhatsAppAddressesOnBothSides()
    {
        await Sender.SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678"), new TwilioConfig(AccountSid, AuthToken, WhatsAppFrom: "+14155238886"), CancellationToken.None);

        var form = TwilioApiServer.Form(Assert.Single(_twilio.Sends));
        Assert.Equal("whatsapp:+4915112345678", form["To"]);
        Assert.Equal("whatsapp:+14155238886", form["From"]);
    }

    [Fact]
    public async Task WithoutAPublicBaseUrlNoStatusCallbackIsAskedFor()
    {
        await using var host = SenderTestHost.Create(new() { ["Twilio:ApiBaseUrl"] = _twilio.BaseUrlSetting });

        await host.Get<TwilioMessageSender>().SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+4915112345678"), Sms, CancellationToken.None);

        Assert.False(TwilioApiServer.Form(Assert.Single(_twilio.Sends)).ContainsKey("StatusCallback"));
    }

    [Fact]
    public async Task AnInvalidNumberIsAPermanentFailureWithTwiliosErrorCode()
    {
        _twilio.Enqueue(TwilioApiServer.InvalidToNumber("+1555"));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+1555"), Sms, CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Equal("21211", e.VendorCode);
        Assert.Contains("Invalid 'To' Phone Number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongCredentialsArePermanentWithCode20003()
    {
        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+4915112345678"), Sms with { AuthToken = "wrong-token" }, CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Equal("20003", e.VendorCode);
    }

    [Fact]
    public async Task TooManyRequestsIsRetryableNoSoonerThanTheRetryAfterDate()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(2);
        _twilio.Enqueue(TwilioApiServer.TooManyRequests(at.ToString("r", CultureInfo.InvariantCulture)));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+4915112345678"), Sms, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Equal("20429", e.VendorCode);
        Assert.InRange(e.RetryAfter!.Value, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(121));
    }

    [Fact]
    public async Task AServerErrorIsRetryable()
    {
        _twilio.Enqueue(TwilioApiServer.InternalError());

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+4915112345678"), Sms, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Equal("20500", e.VendorCode);
        Assert.Single(_twilio.Sends); // no HTTP-level retry: the delivery service retries, after its backoff
    }

    [Fact]
    public async Task AProxysHtmlBadGatewayIsRetryableByItsStatus()
    {
        _twilio.Enqueue(new VendorResponse(502));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+4915112345678"), Sms, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Equal("502", e.VendorCode);
    }

    [Fact]
    public async Task AnAnswerThatTakesLongerThanTheTimeoutLeavesTheOutcomeUnknownAndWasSentOnce()
    {
        // 2 s, not less: on a loaded machine a shorter timeout can expire before the in-test server has even read the call.
        await using var host = SenderTestHost.Create(new() { ["Twilio:ApiBaseUrl"] = _twilio.BaseUrlSetting }, vendorCallTimeout: TimeSpan.FromSeconds(2));
        _twilio.Enqueue(new VendorResponse(201, "{}", Delay: TimeSpan.FromSeconds(30)));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => host.Get<TwilioMessageSender>().SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+4915112345678"), Sms, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.True(e.OutcomeUnknown);
        Assert.Single(_twilio.Sends);
    }

    [Fact]
    public async Task AnUnreachableTwilioIsRetryable()
    {
        await using var host = SenderTestHost.Create(new() { ["Twilio:ApiBaseUrl"] = ClosedPort.Url() });

        var e = await Assert.ThrowsAsync<DeliveryException>(() => host.Get<TwilioMessageSender>().SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+4915112345678"), Sms, CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.False(e.OutcomeUnknown); // never reached: a retry cannot send twice
    }

    [Fact]
    public async Task AWhatsAppTemplateIsRefusedBeforeAnyCallBecauseTwilioNeedsAContentSid()
    {
        var item = SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678") with { Template = new TemplateMessage("follow_up_1", "de", []) };

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(item, new TwilioConfig(AccountSid, AuthToken, WhatsAppFrom: "+14155238886"), CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Empty(_twilio.Sends);
    }
}

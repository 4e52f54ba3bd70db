using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Delivery;
using SalesFlow.Infrastructure.Delivery;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Delivery;

/// <summary>The SendGrid sender (the SendGrid SDK, Host = SendGrid:ApiBaseUrl) against an in-test v3 Mail Send API.</summary>
public sealed class SendGridEmailSenderTests : IAsyncLifetime
{
    private const string ApiKey = "SG.test-key.0123456789abcdef-9f9f";

    private SendGridApiServer _sendGrid = null!;
    private SenderTestHost _host = null!;

    private static EmailConfig Config => new("sales@acme.example", "Acme Sales", ApiKey);

    private SendGridEmailSender Sender => _host.Get<SendGridEmailSender>();

    public async Task InitializeAsync()
    {
        _sendGrid = await SendGridApiServer.StartAsync(ApiKey);
        _host = SenderTestHost.Create(new() { ["SendGrid:ApiBaseUrl"] = _sendGrid.BaseUrlSetting });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    [Fact]
    public async Task AReplyIsOneMailSendThreadedUnderTheLeadsEmailWithCustomArgsAndTheXMessageIdComesBack()
    {
        var item = SenderTestHost.Item(ChannelKind.Email, "jonas@kunde.example", "Hallo Jonas,\n\ngern.\nBis bald") with
        {
            Thread = new EmailThread("Re: Anfrage CRM", "b2@mail.kunde.example", ["a1@mail.kunde.example", "b2@mail.kunde.example"]),
        };

        var id = await Sender.SendAsync(item, Config, "Acme", CancellationToken.None);

        var call = Assert.Single(_sendGrid.Sends);
        Assert.Equal($"Bearer {ApiKey}", call.Headers["Authorization"]);
        var body = call.Json!;
        Assert.Equal("sales@acme.example", body["from"]!["email"]!.GetValue<string>());
        Assert.Equal("Acme Sales", body["from"]!["name"]!.GetValue<string>());
        Assert.Equal("jonas@kunde.example", body["personalizations"]![0]!["to"]![0]!["email"]!.GetValue<string>());
        Assert.Equal("Re: Anfrage CRM", body["subject"]!.GetValue<string>());
        Assert.Equal("<b2@mail.kunde.example>", body["headers"]!["In-Reply-To"]!.GetValue<string>());
        Assert.Equal("<a1@mail.kunde.example> <b2@mail.kunde.example>", body["headers"]!["References"]!.GetValue<string>());
        var content = body["content"]!.AsArray();
        Assert.Equal(("text/plain", item.Text), (content[0]!["type"]!.GetValue<string>(), content[0]!["value"]!.GetValue<string>()));
        Assert.Equal("text/html", content[1]!["type"]!.GetValue<string>());
        Assert.Contains("<p>Hallo Jonas,</p><p>gern.<br>Bis bald</p>", content[1]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(item.Id, body["custom_args"]!["outbox_id"]!.GetValue<string>());
        Assert.Equal("acme", body["custom_args"]!["client_id"]!.GetValue<string>());
        Assert.Equal(_sendGrid.MessageIds.Single(), id);
    }

    [Fact]
    public async Task AnEmailThatAnswersNoneHasTheClientsNameAsSubjectAndNoThreadHeaders()
    {
        await Sender.SendAsync(SenderTestHost.Item(ChannelKind.Email, "jonas@kunde.example"), Config, "Acme", CancellationToken.None);

        var body = Assert.Single(_sendGrid.Sends).Json!;
        Assert.Equal("Acme", body["subject"]!.GetValue<string>());
        Assert.Null(body["headers"]);
    }

    [Fact]
    public async Task ABadRequestIsPermanentWithTheStatusAndSendGridsMessage()
    {
        _sendGrid.Enqueue(SendGridApiServer.InvalidFrom());

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Email, "jonas@kunde.example"), Config, "Acme", CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Equal("400", e.VendorCode);
        Assert.Contains("The from email does not contain a valid address. (from.email)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongApiKeyIsPermanent()
    {
        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Email, "jonas@kunde.example"), Config with { SendGridApiKey = "SG.revoked" }, "Acme", CancellationToken.None));

        Assert.True(e.Permanent);
        Assert.Equal("401", e.VendorCode);
    }

    [Fact]
    public async Task TooManyRequestsIsRetryableAfterRetryAfter()
    {
        _sendGrid.Enqueue(SendGridApiServer.TooManyRequests(resetInSeconds: 300, retryAfter: "9"));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Email, "jonas@kunde.example"), Config, "Acme", CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Equal("429", e.VendorCode);
        Assert.Equal(TimeSpan.FromSeconds(9), e.RetryAfter);
    }

    [Fact]
    public async Task TooManyRequestsWithoutRetryAfterWaitsForTheRateLimitReset()
    {
        _sendGrid.Enqueue(SendGridApiServer.TooManyRequests(resetInSeconds: 120));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Email, "jonas@kunde.example"), Config, "Acme", CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.InRange(e.RetryAfter!.Value, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(121));
    }

    [Fact]
    public async Task AnAnswerThatTakesLongerThanTheTimeoutLeavesTheOutcomeUnknownAndWasSentOnce()
    {
        // 2 s, not less: on a loaded machine a shorter timeout can expire before the in-test server has even read the call.
        await using var host = SenderTestHost.Create(new() { ["SendGrid:ApiBaseUrl"] = _sendGrid.BaseUrlSetting }, vendorCallTimeout: TimeSpan.FromSeconds(2));
        _sendGrid.Enqueue(new VendorResponse(202, Delay: TimeSpan.FromSeconds(30)));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => host.Get<SendGridEmailSender>().SendAsync(SenderTestHost.Item(ChannelKind.Email, "jonas@kunde.example"), Config, "Acme", CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.True(e.OutcomeUnknown);
        Assert.Single(_sendGrid.Sends);
    }

    [Fact]
    public async Task AServerErrorIsRetryable()
    {
        _sendGrid.Enqueue(new VendorResponse(503));

        var e = await Assert.ThrowsAsync<DeliveryException>(() => Sender.SendAsync(SenderTestHost.Item(ChannelKind.Email, "jonas@kunde.example"), Config, "Acme", CancellationToken.None));

        Assert.False(e.Permanent);
        Assert.Equal("503", e.VendorCode);
        Assert.Single(_sendGrid.Sends); // no HTTP-level retry: the delivery service retries, after its backoff
    }
}

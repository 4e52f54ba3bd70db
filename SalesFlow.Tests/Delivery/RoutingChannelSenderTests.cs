using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Core.Delivery;
using SalesFlow.Functions.Extensions;
using SalesFlow.Functions.Hosting;
using SalesFlow.Infrastructure.Delivery;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Delivery;

/// <summary>
/// The registered <see cref="IChannelSender"/> picks the vendor per client and channel, and a client without credentials
/// keeps the embedded outbox; the vendor servers are real Kestrel servers, the client store a stub (its decryption is
/// ProtectedClientStore's, tested with the stores).
/// </summary>
public sealed class RoutingChannelSenderTests : IAsyncLifetime
{
    private const string PhoneNumberId = "106540352242922";
    private const string AccessToken = "EAAG-route-token-0a0a";
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "twilio-route-token-1b1b";
    private const string ApiKey = "SG.route-key-2c2c";

    private static readonly WhatsAppConfig MetaWhatsApp = new(PhoneNumberId, AccessToken);
    private static readonly TwilioConfig TwilioBoth = new(AccountSid, AuthToken, SmsFrom: "+15005550006", WhatsAppFrom: "+14155238886");
    private static readonly EmailConfig SendGridEmail = new("sales@acme.example", "Acme", ApiKey);

    private readonly Dictionary<string, Client> _clients = [];
    private WhatsAppGraphServer _graph = null!;
    private TwilioApiServer _twilio = null!;
    private SendGridApiServer _sendGrid = null!;
    private SenderTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _graph = await WhatsAppGraphServer.StartAsync(PhoneNumberId, AccessToken);
        _twilio = await TwilioApiServer.StartAsync(AccountSid, AuthToken);
        _sendGrid = await SendGridApiServer.StartAsync(ApiKey);
        var store = new Mock<IClientStore>();
        store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string id, CancellationToken _) => _clients.GetValueOrDefault(id));
        _host = SenderTestHost.Create(
            new()
            {
                ["WhatsApp:GraphBaseUrl"] = _graph.BaseUrlSetting,
                ["Twilio:ApiBaseUrl"] = _twilio.BaseUrlSetting,
                ["SendGrid:ApiBaseUrl"] = _sendGrid.BaseUrlSetting,
            },
            store.Object);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _graph.DisposeAsync();
        await _twilio.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    private void AddClient(string id, ClientConfig? config) =>
        _clients[id] = new Client(id, "Acme", "hash", new ClientChannelSecrets("a", "b", "c", "d"), Config: config);

    private IChannelSender Sender => _host.Get<IChannelSender>();

    [Fact]
    public async Task AClientWithoutCredentialsKeepsTheEmbeddedOutboxOnEveryChannel()
    {
        AddClient("plain", null);
        AddClient("half", new ClientConfig(WhatsApp: new WhatsAppConfig(PhoneNumberId), Twilio: new TwilioConfig(AccountSid, SmsFrom: "+15005550006"), Email: new EmailConfig("sales@acme.example")));

        foreach (var clientId in new[] { "plain", "half" })
        {
            foreach (var channel in new[] { ChannelKind.WhatsApp, ChannelKind.Sms, ChannelKind.Email, ChannelKind.Web })
            {
                var item = SenderTestHost.Item(channel, channel == ChannelKind.Email ? "jonas@kunde.example" : "+4915112345678", clientId: clientId);
                Assert.Equal(Ids.Deterministic("local", clientId, item.IdempotencyKey), await Sender.SendAsync(item, CancellationToken.None));
            }
        }

        Assert.Empty(_graph.Received);
        Assert.Empty(_twilio.Received);
        Assert.Empty(_sendGrid.Received);
    }

    [Fact]
    public async Task AConfiguredClientsMessagesGoToItsVendorPerChannel()
    {
        AddClient("acme", new ClientConfig(WhatsApp: MetaWhatsApp, Twilio: TwilioBoth, Email: SendGridEmail));

        var wamid = await Sender.SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678"), CancellationToken.None);
        var sid = await Sender.SendAsync(SenderTestHost.Item(ChannelKind.Sms, "+4915112345678"), CancellationToken.None);
        var messageId = await Sender.SendAsync(SenderTestHost.Item(ChannelKind.Email, "jonas@kunde.example"), CancellationToken.None);

        Assert.StartsWith("wamid.", wamid, StringComparison.Ordinal);
        Assert.StartsWith("SM", sid, StringComparison.Ordinal);
        Assert.Equal(_sendGrid.MessageIds.Single(), messageId);
        Assert.Single(_graph.Sends);
        Assert.Equal("+15005550006", TwilioApiServer.Form(Assert.Single(_twilio.Sends))["From"]);
    }

    [Fact]
    public async Task WhatsAppGoesThroughTwilioOnlyForAClientWithoutMetaCredentials()
    {
        AddClient("twilio-only", new ClientConfig(Twilio: TwilioBoth));

        await Sender.SendAsync(SenderTestHost.Item(ChannelKind.WhatsApp, "+4915112345678", clientId: "twilio-only"), CancellationToken.None);

        Assert.Empty(_graph.Received);
        Assert.Equal("whatsapp:+14155238886", TwilioApiServer.Form(Assert.Single(_twilio.Sends))["From"]);
    }

    [Theory]
    [InlineData(ChannelKind.WhatsApp, DeliveryRoute.WhatsAppCloudApi)]
    [InlineData(ChannelKind.Sms, DeliveryRoute.Twilio)]
    [InlineData(ChannelKind.Email, DeliveryRoute.SendGrid)]
    [InlineData(ChannelKind.Web, DeliveryRoute.EmbeddedOutbox)]
    public void TheRouteOfAFullyConfiguredClientIsItsVendor(ChannelKind channel, DeliveryRoute route) =>
        Assert.Equal(route, RoutingChannelSender.Route(channel, new ClientConfig(WhatsApp: MetaWhatsApp, Twilio: TwilioBoth, Email: SendGridEmail)));

    [Fact]
    public async Task NoSecretNorMessageTextReachesTheLogsOnSuccessOrFailure()
    {
        AddClient("acme", new ClientConfig(WhatsApp: MetaWhatsApp, Twilio: TwilioBoth, Email: SendGridEmail));
        const string text = "Vertraulich: Angebot 48.500 EUR für Anna";
        _graph.Enqueue(WhatsAppGraphServer.InternalError());
        _twilio.Enqueue(TwilioApiServer.InvalidToNumber("+4915112345678"));
        _sendGrid.Enqueue(SendGridApiServer.InvalidFrom());

        foreach (var round in new[] { "fails", "succeeds" })
        {
            foreach (var (channel, to) in new[] { (ChannelKind.WhatsApp, "+4915112345678"), (ChannelKind.Sms, "+4915112345678"), (ChannelKind.Email, "anna@kunde.example") })
            {
                var send = Sender.SendAsync(SenderTestHost.Item(channel, to, text), CancellationToken.None);
                if (round == "fails")
                {
                    await Assert.ThrowsAsync<DeliveryException>(() => send);
                }
                else
                {
                    await send;
                }
            }
        }

        var logs = _host.Logs.All;
        Assert.NotEmpty(_host.Logs.Lines);
        foreach (var secret in new[] { AccessToken, AuthToken, ApiKey, text, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")) })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("WhatsApp:GraphBaseUrl", "graph.facebook.com")]
    [InlineData("WhatsApp:GraphVersion", "23")]
    [InlineData("Twilio:ApiBaseUrl", "ftp://api.twilio.com")]
    [InlineData("SendGrid:ApiBaseUrl", "/v3")]
    public void AVendorSettingThatIsNotUsableStopsTheStartNamingIt(string setting, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton(TimeProvider.System).AddLogging();
        services.AddChannelSenders();
        using var provider = services.BuildServiceProvider();

        var problem = Assert.Single(SettingsCheck.Problems(provider));

        Assert.Contains(setting, problem, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", problem, StringComparison.Ordinal);
    }
}

using Moq;
using SalesFlow.Core.Clients;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Clients;

/// <summary>The webhooks' short-lived client read: kept briefly, dropped at once by a change made through the store.</summary>
public sealed class CachingClientStoreTests
{
    private readonly Mock<IClientStore> _inner = new();
    private readonly ManualClock _clock = new();
    private readonly CachingClientStore _store;
    private Client _stored = Client("secret-1");

    public CachingClientStoreTests()
    {
        _inner.Setup(s => s.GetAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(() => _stored);
        _inner.Setup(s => s.ReplaceAsync(It.IsAny<Client>(), It.IsAny<CancellationToken>())).ReturnsAsync((Client c, CancellationToken _) => _stored = c);
        _store = new CachingClientStore(_inner.Object, _clock);
    }

    private static Client Client(string appSecret) => new("acme", "Acme", "hash", new ClientChannelSecrets(appSecret, "verify", "twilio", "email"));

    [Fact]
    public async Task ASecretRotatedThroughTheStoreCountsOnTheVeryNextRead()
    {
        Assert.Equal("secret-1", (await _store.GetRecentAsync("acme", default))!.WebhookSecrets().WhatsAppAppSecret);

        await _store.ReplaceAsync(Client("secret-2"), default);

        Assert.Equal("secret-2", (await _store.GetRecentAsync("acme", default))!.WebhookSecrets().WhatsAppAppSecret);
    }

    [Fact]
    public async Task AReadIsKeptForAMomentAndAChangeMadeElsewhereCountsOnceItExpires()
    {
        await _store.GetRecentAsync("acme", default);
        _stored = Client("changed-by-another-instance");
        _clock.Advance(CachingClientStore.Lifetime / 2);
        Assert.Equal("secret-1", (await _store.GetRecentAsync("acme", default))!.WebhookSecrets().WhatsAppAppSecret);
        _inner.Verify(s => s.GetAsync("acme", It.IsAny<CancellationToken>()), Times.Once);

        _clock.Advance(CachingClientStore.Lifetime / 2);

        Assert.Equal("changed-by-another-instance", (await _store.GetRecentAsync("acme", default))!.WebhookSecrets().WhatsAppAppSecret);
    }

    [Fact]
    public async Task EveryOtherReadGoesToTheStore()
    {
        await _store.GetRecentAsync("acme", default);
        _stored = Client("secret-2");

        Assert.Equal("secret-2", (await _store.GetAsync("acme", default))!.WebhookSecrets().WhatsAppAppSecret);
    }

    [Fact]
    public async Task AnUnknownClientIsNotKept()
    {
        Assert.Null(await _store.GetRecentAsync("nobody", default));
        _inner.Setup(s => s.GetAsync("nobody", It.IsAny<CancellationToken>())).ReturnsAsync(Client("new") with { Id = "nobody" });

        Assert.NotNull(await _store.GetRecentAsync("nobody", default));
    }
}

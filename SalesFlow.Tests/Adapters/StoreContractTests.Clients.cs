using Microsoft.AspNetCore.DataProtection;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Common;
using SalesFlow.Infrastructure.Security;

namespace SalesFlow.Tests.Adapters;

/// <summary>The client store's config, key rotation and encryption at rest.</summary>
public abstract partial class StoreContractTests
{
    /// <summary>Everything the adapter stored for the client, as raw text (SQLite row, Cosmos document).</summary>
    protected abstract Task<string> ReadRawClientAsync(string clientId);

    private static ClientConfig SecretConfig() => new(
        WhatsApp: new WhatsAppConfig("106540352242922", "EAAG-access-token-raw", "meta-app-secret-raw", "verify-token-raw"),
        Twilio: new TwilioConfig(AuthToken: "twilio-auth-token-raw"),
        Email: new EmailConfig(SendGridApiKey: "SG.sendgrid-key-raw", WebhookSecret: "email-webhook-secret-raw"),
        TimeZone: "Europe/Berlin");

    [Fact]
    public async Task AClientIsReplacedOnlyFromItsCurrentVersionSoAStaleWriteIsRefused()
    {
        Assert.True(await _s.Clients.TryCreateAsync(NewClient(Acme, Ids.Sha256Hex("key-acme")), default));
        var read = (await _s.Clients.GetAsync(Acme, default))!;

        var written = await _s.Clients.ReplaceAsync(read with { Config = SecretConfig() }, default);

        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Clients.ReplaceAsync(read with { Config = ClientConfig.Empty with { Language = "de" } }, default));
        var stored = (await _s.Clients.GetAsync(Acme, default))!;
        Assert.Equal(written.ETag, stored.ETag);
        Assert.NotEqual(read.ETag, stored.ETag);
        Assert.Equal("meta-app-secret-raw", stored.Config!.WhatsApp!.AppSecret);
        Assert.Equal("Europe/Berlin", stored.Config.TimeZone);
    }

    [Fact]
    public async Task ARotatedKeyFindsTheClientByTheNewAndThePreviousHashButNeverTakesAnotherClientsHash()
    {
        Assert.True(await _s.Clients.TryCreateAsync(NewClient(Acme, Ids.Sha256Hex("key-acme")), default));
        Assert.True(await _s.Clients.TryCreateAsync(NewClient(Globex, Ids.Sha256Hex("key-globex")), default));
        var acme = (await _s.Clients.GetAsync(Acme, default))!;
        var until = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds());

        await _s.Clients.ReplaceAsync(acme with { ApiKeyHash = Ids.Sha256Hex("key-acme-2"), PreviousApiKeyHash = acme.ApiKeyHash, PreviousApiKeyExpiresAt = until }, default);

        Assert.Equal(Acme, (await _s.Clients.FindByApiKeyHashAsync(Ids.Sha256Hex("key-acme-2"), default))!.Id);
        var byOld = (await _s.Clients.FindByApiKeyHashAsync(Ids.Sha256Hex("key-acme"), default))!;
        Assert.Equal((Acme, until), (byOld.Id, byOld.PreviousApiKeyExpiresAt));
        var globex = (await _s.Clients.GetAsync(Globex, default))!;
        await Assert.ThrowsAsync<ConcurrencyException>(() => _s.Clients.ReplaceAsync(globex with { ApiKeyHash = Ids.Sha256Hex("key-acme-2") }, default));
        Assert.Equal(Acme, (await _s.Clients.FindByApiKeyHashAsync(Ids.Sha256Hex("key-acme-2"), default))!.Id);
    }

    [Fact]
    public async Task NoSecretIsStoredInPlainTextAndEachReadsBackDecrypted()
    {
        var keys = Directory.CreateTempSubdirectory("salesflow-keys-");
        try
        {
            var store = new ProtectedClientStore(_s.Clients, new DataProtectionSecretProtector(DataProtectionProvider.Create(keys)));
            var onboarding = new ClientChannelSecrets("onboard-app-raw", "onboard-verify-raw", "onboard-twilio-raw", "onboard-email-raw");
            Assert.True(await store.TryCreateAsync(NewClient(Acme, Ids.Sha256Hex("key-acme")) with { Secrets = onboarding }, default));
            var created = (await store.GetAsync(Acme, default))!;
            await store.ReplaceAsync(created with { Config = SecretConfig() }, default);

            var raw = await ReadRawClientAsync(Acme);

            Assert.Contains("106540352242922", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("-raw", raw, StringComparison.Ordinal);

            var read = (await store.GetAsync(Acme, default))!;
            Assert.Equal(onboarding, read.Secrets);
            Assert.Equal(SecretConfig(), read.Config);
            Assert.Equal("meta-app-secret-raw", (await store.FindByApiKeyHashAsync(Ids.Sha256Hex("key-acme"), default))!.WebhookSecrets().WhatsAppAppSecret);
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }
}

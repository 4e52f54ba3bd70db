using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Functions.Apis;
using SalesFlow.Infrastructure.Azure.Cosmos;
using SalesFlow.Infrastructure.Security;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Security;

/// <summary>The Data Protection key ring that encrypts client secrets, itself encrypted under DataProtection:KeyEncryptionKey.</summary>
public sealed class KeyRingEncryptionTests
{
    private const string Secret = "a-key-vault-secret-of-enough-length";

    private static AesGcmXmlDecryptor DecryptorWith(string secret) =>
        new(new ServiceCollection().AddSingleton(new KeyRingEncryptionKey(secret)).BuildServiceProvider());

    [Fact]
    public void AKeyEncryptedUnderTheSecretDecryptsOnlyUnderTheSameSecret()
    {
        var key = new XElement("key", new XAttribute("id", "k1"), new XElement("masterKey", "c2VjcmV0LWtleS1tYXRlcmlhbA=="));

        var encrypted = new AesGcmXmlEncryptor(new KeyRingEncryptionKey(Secret)).Encrypt(key);

        Assert.DoesNotContain("c2VjcmV0LWtleS1tYXRlcmlhbA==", encrypted.EncryptedElement.ToString(), StringComparison.Ordinal);
        Assert.Equal(typeof(AesGcmXmlDecryptor), encrypted.DecryptorType);
        Assert.Equal(key.ToString(), DecryptorWith(Secret).Decrypt(encrypted.EncryptedElement).ToString());
        var wrong = Assert.Throws<InvalidOperationException>(() => DecryptorWith("another-secret-of-enough-length").Decrypt(encrypted.EncryptedElement));
        Assert.Contains(KeyRingEncryptionKey.Setting, wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATamperedKeyIsRefused()
    {
        var encrypted = new AesGcmXmlEncryptor(new KeyRingEncryptionKey(Secret)).Encrypt(new XElement("key", "material")).EncryptedElement;
        var ciphertext = Convert.FromBase64String(encrypted.Element("ciphertext")!.Value);
        ciphertext[0] ^= 1;
        encrypted.Element("ciphertext")!.Value = Convert.ToBase64String(ciphertext);

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => DecryptorWith(Secret).Decrypt(encrypted));
    }

    [Fact]
    public void AShortSecretIsRefusedNamingTheSetting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new KeyRingEncryptionKey("short"));
        Assert.Contains(KeyRingEncryptionKey.Setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEmbeddedKeyRingIsEncryptedOnDiskAndStillDecryptsAfterARestart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "salesflow-keyring-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["SalesFlow:DataDir"] = dataDir, [KeyRingEncryptionKey.Setting] = Secret };
        await using (var app = await InProcessApp.StandaloneAsync(settings))
        {
            var patched = await PatchAsync(app.Http, """{ "whatsapp": { "appSecret": "configured-meta-secret-9z9z" } }""");
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        var ring = string.Concat(Directory.GetFiles(Path.Combine(dataDir, "keys"), "*.xml").Select(File.ReadAllText));
        Assert.Contains(AesGcmXmlEncryptor.ElementName, ring, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", ring, StringComparison.Ordinal);

        await using (var again = await InProcessApp.StandaloneAsync(settings))
        {
            var config = await again.Http.GetJsonAsync("/api/clients/demo/config");
            Assert.Equal("••••9z9z", config.GetProperty("whatsapp").Str("appSecret"));
        }
    }

    internal static Task<HttpResponseMessage> PatchAsync(HttpClient http, string json) =>
        http.PatchAsync("/api/clients/demo/config", new StringContent(json, Encoding.UTF8, ClientConfigApi.MergePatchContentType));
}

/// <summary>With the cosmos store the ring lives in Cosmos, encrypted, shared by every instance of the app.</summary>
[Collection(CosmosStandInCollection.Name)]
public sealed class CosmosKeyRingTests(CosmosStandInFixture cosmos)
{
    private Dictionary<string, string?> Settings(string database, string? secret) => new()
    {
        ["SalesFlow:Store"] = "cosmos",
        ["CosmosDb:connectionString"] = cosmos.ConnectionString,
        ["CosmosDb:databaseName"] = database,
        [KeyRingEncryptionKey.Setting] = secret,
    };

    [Fact]
    public async Task ASecretOneInstanceEncryptedAnotherInstanceOnTheSameDatabaseDecrypts()
    {
        var database = "keyring" + Guid.NewGuid().ToString("N")[..10];
        const string secret = "the-kek-from-key-vault-0123456789";
        await using (var first = await InProcessApp.StandaloneAsync(Settings(database, secret)))
        {
            Assert.Equal(HttpStatusCode.OK, (await KeyRingEncryptionTests.PatchAsync(first.Http, """{ "twilio": { "authToken": "twilio-token-4c4c" } }""")).StatusCode);
        }

        // A second instance: its own (empty) data folder, the same database and key encryption key.
        await using (var second = await InProcessApp.StandaloneAsync(Settings(database, secret)))
        {
            Assert.Equal("••••4c4c", (await second.Http.GetJsonAsync("/api/clients/demo/config")).GetProperty("twilio").Str("authToken"));
        }

        using var stores = await cosmos.CreateStoresAsync(database);
        var ring = (await stores.Containers.Clients.ReadItemAsync<JsonObject>(CosmosKeyRingRepository.DocumentId, new PartitionKey(CosmosKeyRingRepository.DocumentId))).Resource.ToJsonString();
        Assert.Contains(AesGcmXmlEncryptor.ElementName, ring, StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey>", ring, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCosmosStoreRefusesToStartWithoutAKeyEncryptionKey()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => InProcessApp.StandaloneAsync(Settings("keyring-none", null)));
        Assert.Contains(KeyRingEncryptionKey.Setting, e.Message, StringComparison.Ordinal);
    }
}

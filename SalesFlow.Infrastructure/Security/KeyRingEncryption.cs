using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace SalesFlow.Infrastructure.Security;

/// <summary>
/// The key that encrypts the Data Protection key ring at rest (setting <c>DataProtection:KeyEncryptionKey</c>; in Azure a
/// Key Vault reference, so the key itself lives in Key Vault). Any secret of at least <see cref="MinimumLength"/>
/// characters: the AES-256 key is derived from it with HKDF-SHA256, so a generated password works as well as random bytes.
/// </summary>
public sealed class KeyRingEncryptionKey
{
    public const string Setting = "DataProtection:KeyEncryptionKey";
    public const int MinimumLength = 16;
    private static readonly byte[] Info = Encoding.UTF8.GetBytes("SalesFlow.DataProtection.KeyRing.v1");

    public KeyRingEncryptionKey(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Trim().Length < MinimumLength)
        {
            throw new InvalidOperationException($"{Setting} must be a secret of at least {MinimumLength} characters (in Azure: a Key Vault reference).");
        }

        Key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret.Trim()), 32, salt: [], info: Info);
        // An id that names the key without revealing it, so a ring written under another key fails with a clear message.
        Id = Convert.ToHexStringLower(SHA256.HashData(Key))[..12];
    }

    internal byte[] Key { get; }

    public string Id { get; }
}

/// <summary>
/// Encrypts each key of the ring with AES-256-GCM under <see cref="KeyRingEncryptionKey"/>. Our own class because Data
/// Protection's built-in encryptors need a certificate, Windows DPAPI or the Azure Key Vault key package, none of which
/// a Linux Functions app gets here; AES-GCM is the BCL's authenticated encryption, nothing home-made below it.
/// </summary>
public sealed class AesGcmXmlEncryptor(KeyRingEncryptionKey key) : IXmlEncryptor
{
    internal const string ElementName = "aesGcmEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key.Key, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(
            ElementName,
            new XAttribute("keyId", key.Id),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("ciphertext", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>
/// Decrypts what <see cref="AesGcmXmlEncryptor"/> wrote. Data Protection creates decryptors by type name with the
/// application's services (the constructor taking <see cref="IServiceProvider"/> is its convention).
/// </summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var key = services.GetService<KeyRingEncryptionKey>()
            ?? throw new InvalidOperationException($"The Data Protection key ring is encrypted, but {KeyRingEncryptionKey.Setting} is not set: set the key it was written with.");
        var keyId = (string?)encryptedElement.Attribute("keyId");
        if (keyId != key.Id)
        {
            throw new InvalidOperationException($"The Data Protection key ring was encrypted under key id {keyId}, but {KeyRingEncryptionKey.Setting} has id {key.Id}: set the key it was written with.");
        }

        var nonce = Convert.FromBase64String(Required(encryptedElement, "nonce"));
        var tag = Convert.FromBase64String(Required(encryptedElement, "tag"));
        var ciphertext = Convert.FromBase64String(Required(encryptedElement, "ciphertext"));
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(key.Key, tag.Length))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static string Required(XElement element, string name) =>
        element.Element(name)?.Value ?? throw new InvalidOperationException($"An encrypted Data Protection key has no <{name}>.");
}

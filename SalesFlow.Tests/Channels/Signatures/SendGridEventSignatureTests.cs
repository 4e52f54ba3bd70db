using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Tests.Channels.Signatures;

public class SendGridEventSignatureTests
{
    private const string Vendor = "sendgrid";
    private const string SingleEventFile = "payload_single_event.bin";
    private const string MultiEventFile = "payload_multi_event.bin";

    private static readonly IReadOnlyDictionary<string, JsonElement> Vectors =
        SignatureFixtures.Named(SignatureFixtures.Json(Vendor, "sendgrid_event_webhook_vectors.json").GetProperty("vectors"), "test");

    private static readonly JsonElement ValidSingle = Vectors.Values.First(v => v.GetProperty("expected_valid").GetBoolean() && v.OptionalString("payload_file") == SingleEventFile);
    private static readonly JsonElement ValidMulti = Vectors.Values.First(v => v.GetProperty("expected_valid").GetBoolean() && v.OptionalString("payload_file") == MultiEventFile);

    public static TheoryData<string> VectorNames => SignatureFixtures.Names(Vectors);

    [Fact]
    public void FixtureHoldsEveryVendorVector()
    {
        Assert.Equal(7, Vectors.Count);
        Assert.Equal(2, Vectors.Values.Count(v => v.GetProperty("expected_valid").GetBoolean()));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void ReproducesEveryVectorsExpectedValidity(string vector)
    {
        var v = Vectors[vector];

        var valid = SendGridEventSignature.IsValid(v.RequiredString("public_key_b64_der"), v.RequiredString("timestamp"), Payload(v), v.RequiredString("signature_b64"));

        Assert.Equal(v.GetProperty("expected_valid").GetBoolean(), valid);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void PayloadBytesAreTheOnesTheVendorSigned(string vector)
    {
        // The .bin files must arrive byte-exact (CRLF intact); a checkout that rewrote line endings fails here.
        var v = Vectors[vector];

        Assert.Equal(v.RequiredString("payload_sha256"), Convert.ToHexStringLower(SHA256.HashData(Payload(v))));
    }

    [Fact]
    public void RejectsBodyWithNormalisedLineEndings()
    {
        var body = SignatureFixtures.Bytes(Vendor, MultiEventFile);
        var lf = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.True(SendGridEventSignature.IsValid(ValidMulti.RequiredString("public_key_b64_der"), ValidMulti.RequiredString("timestamp"), body, ValidMulti.RequiredString("signature_b64")));
        Assert.False(SendGridEventSignature.IsValid(ValidMulti.RequiredString("public_key_b64_der"), ValidMulti.RequiredString("timestamp"), lf, ValidMulti.RequiredString("signature_b64")));
    }

    [Fact]
    public void RejectsTamperedBody()
    {
        var body = SignatureFixtures.Bytes(Vendor, SingleEventFile);
        body[10] ^= 0x01;

        Assert.False(SendGridEventSignature.IsValid(ValidSingle.RequiredString("public_key_b64_der"), ValidSingle.RequiredString("timestamp"), body, ValidSingle.RequiredString("signature_b64")));
    }

    [Fact]
    public void RejectsTimestampOfAnotherDelivery()
    {
        Assert.False(SendGridEventSignature.IsValid(
            ValidSingle.RequiredString("public_key_b64_der"), "1600112503", SignatureFixtures.Bytes(Vendor, SingleEventFile), ValidSingle.RequiredString("signature_b64")));
    }

    [Fact]
    public void RejectsSomeoneElsesKey()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherKey = Convert.ToBase64String(other.ExportSubjectPublicKeyInfo());

        Assert.False(SendGridEventSignature.IsValid(otherKey, ValidSingle.RequiredString("timestamp"), SignatureFixtures.Bytes(Vendor, SingleEventFile), ValidSingle.RequiredString("signature_b64")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void RejectsMissingOrMalformedSignature(string? signature)
    {
        Assert.False(SendGridEventSignature.IsValid(
            ValidSingle.RequiredString("public_key_b64_der"), ValidSingle.RequiredString("timestamp"), SignatureFixtures.Bytes(Vendor, SingleEventFile), signature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void RejectsMalformedPublicKeyWithoutThrowing(string publicKey)
    {
        Assert.False(SendGridEventSignature.IsValid(
            publicKey, ValidSingle.RequiredString("timestamp"), SignatureFixtures.Bytes(Vendor, SingleEventFile), ValidSingle.RequiredString("signature_b64")));
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(2)]
    public void RejectsTruncatedOrPaddedPublicKeyWithoutThrowing(int lengthChange)
    {
        var der = Convert.FromBase64String(ValidSingle.RequiredString("public_key_b64_der"));
        var changed = new byte[der.Length + lengthChange];
        der.AsSpan(0, Math.Min(der.Length, changed.Length)).CopyTo(changed);

        Assert.False(SendGridEventSignature.IsValid(
            Convert.ToBase64String(changed), ValidSingle.RequiredString("timestamp"), SignatureFixtures.Bytes(Vendor, SingleEventFile), ValidSingle.RequiredString("signature_b64")));
    }

    [Fact]
    public void RejectsRsaPublicKeyWithoutThrowing()
    {
        using var rsa = RSA.Create(2048);

        Assert.False(SendGridEventSignature.IsValid(
            Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()), ValidSingle.RequiredString("timestamp"), SignatureFixtures.Bytes(Vendor, SingleEventFile), ValidSingle.RequiredString("signature_b64")));
    }

    [Fact]
    public void RejectsKeyOnAnotherCurve()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var body = SignatureFixtures.Bytes(Vendor, SingleEventFile);
        var signature = p384.SignData(Signed("1600112502", body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.True(p384.VerifyData(Signed("1600112502", body), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(SendGridEventSignature.IsValid(Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()), "1600112502", body, Convert.ToBase64String(signature)));
    }

    [Fact]
    public void AcceptsFreshDerSignatureAndRejectsTheSameSignatureInP1363Form()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var body = SignatureFixtures.Bytes(Vendor, MultiEventFile);
        var der = key.SignData(Signed("1700000000", body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var p1363 = key.SignData(Signed("1700000000", body), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        Assert.True(SendGridEventSignature.IsValid(publicKey, "1700000000", body, Convert.ToBase64String(der)));
        Assert.False(SendGridEventSignature.IsValid(publicKey, "1700000000", body, Convert.ToBase64String(p1363)));
    }

    private static byte[] Signed(string timestamp, byte[] body) => [.. Encoding.UTF8.GetBytes(timestamp), .. body];

    private static byte[] Payload(JsonElement vector) =>
        vector.OptionalString("payload_file") is { } file
            ? SignatureFixtures.Bytes(Vendor, file)
            : Encoding.UTF8.GetBytes(vector.RequiredString("payload_inline"));
}

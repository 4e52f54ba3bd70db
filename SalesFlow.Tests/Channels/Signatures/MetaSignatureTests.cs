using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Tests.Channels.Signatures;

public class MetaSignatureTests
{
    private const string Vendor = "whatsapp";
    private const string RealBodyFile = "pywa_real_webhook_body.bin";
    private const string RealSecret = "1222e786b144d0e85b9f365372d93676";
    private const string RealHeader = "sha256=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc441";

    private static readonly IReadOnlyDictionary<string, JsonElement> Vectors =
        SignatureFixtures.Named(SignatureFixtures.Json(Vendor, "whatsapp_x_hub_signature_vectors.json").GetProperty("vectors"), "test");

    public static TheoryData<string> VectorNames => SignatureFixtures.Names(Vectors);

    public static TheoryData<string> ValidVectorNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var (name, vector) in Vectors)
            {
                if (vector.GetProperty("expected_valid").GetBoolean())
                {
                    data.Add(name);
                }
            }

            return data;
        }
    }

    [Fact]
    public void FixtureHoldsEveryVendorVector()
    {
        Assert.Equal(4, Vectors.Count);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void ReproducesEveryVectorsExpectedValidity(string vector)
    {
        var v = Vectors[vector];

        var valid = MetaSignature.IsValid(v.RequiredString("app_secret"), Body(v), v.RequiredString("x_hub_signature_256"));

        Assert.Equal(v.GetProperty("expected_valid").GetBoolean(), valid);
    }

    [Theory]
    [MemberData(nameof(ValidVectorNames))]
    public void ComputeReturnsTheVendorHeader(string vector)
    {
        var v = Vectors[vector];

        Assert.Equal(v.RequiredString("x_hub_signature_256"), MetaSignature.Compute(v.RequiredString("app_secret"), Body(v)));
    }

    [Fact]
    public void RealWebhookBodyVerifiesByteExact()
    {
        var body = SignatureFixtures.Bytes(Vendor, RealBodyFile);

        Assert.Equal(511, body.Length);
        Assert.True(MetaSignature.IsValid(RealSecret, body, RealHeader));
    }

    [Fact]
    public void RejectsReserialisedJsonOfTheRealWebhook()
    {
        // Why the verifier takes raw bytes: the same JSON written out again is different bytes.
        var body = SignatureFixtures.Bytes(Vendor, RealBodyFile);
        var reserialised = Encoding.UTF8.GetBytes(JsonNode.Parse(body)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        Assert.False(MetaSignature.IsValid(RealSecret, reserialised, RealHeader));
    }

    [Fact]
    public void RejectsTamperedBody()
    {
        var body = SignatureFixtures.Bytes(Vendor, RealBodyFile);
        body[body.Length / 2] ^= 0x01;

        Assert.False(MetaSignature.IsValid(RealSecret, body, RealHeader));
    }

    [Fact]
    public void RejectsWrongSecret()
    {
        var body = SignatureFixtures.Bytes(Vendor, RealBodyFile);

        Assert.False(MetaSignature.IsValid("1222e786b144d0e85b9f365372d93677", body, RealHeader));
        Assert.False(MetaSignature.IsValid(string.Empty, body, RealHeader));
    }

    [Fact]
    public void AcceptsUppercaseHex()
    {
        var body = SignatureFixtures.Bytes(Vendor, RealBodyFile);

        Assert.True(MetaSignature.IsValid(RealSecret, body, "sha256=" + RealHeader["sha256=".Length..].ToUpperInvariant()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc441")]
    [InlineData("sha1=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc441")]
    [InlineData("SHA256=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc441")]
    [InlineData("sha256= 54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc441")]
    [InlineData("sha256=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc44")]
    [InlineData("sha256=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc4411")]
    [InlineData("sha256=54edfa1d7259e0eb13c677cc7d73d1b5c86cfa12433d19156e058ab9251bc44z")]
    public void RejectsMissingOrMalformedHeader(string? header)
    {
        var body = SignatureFixtures.Bytes(Vendor, RealBodyFile);

        Assert.False(MetaSignature.IsValid(RealSecret, body, header));
    }

    private static byte[] Body(JsonElement vector) =>
        vector.OptionalString("body_file") is { } file
            ? SignatureFixtures.Bytes(Vendor, file)
            : Encoding.UTF8.GetBytes(vector.RequiredString("body_utf8"));
}

using System.Text;
using System.Text.Json;
using SalesFlow.Infrastructure.Signatures;

namespace SalesFlow.Tests.Channels.Signatures;

public class HubSpotSignatureTests
{
    private const string Vendor = "hubspot";

    private static readonly IReadOnlyDictionary<string, JsonElement> Vectors = NamedVectors();

    private static readonly JsonElement V3 = Vectors.Values.Single(v => v.RequiredString("signature_version") == "v3");

    /// <summary>The instant the v3 vector was signed (1693657560000 ms = 2023-09-02T12:26:00Z).</summary>
    private static readonly DateTimeOffset V3SignedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(V3.RequiredString("timestamp"), System.Globalization.CultureInfo.InvariantCulture));

    public static TheoryData<string> VectorNames => SignatureFixtures.Names(Vectors);

    [Fact]
    public void FixtureHoldsEveryVendorVector()
    {
        Assert.Equal(6, Vectors.Count);
        Assert.Equal(new DateTimeOffset(2023, 9, 2, 12, 26, 0, TimeSpan.Zero), V3SignedAt);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void AcceptsEveryVendorVector(string vector)
    {
        // The vectors file lists only genuine signatures (expected_signature), so each one must verify.
        var v = Vectors[vector];

        Assert.True(Verify(v, v.RequiredString("expected_signature"), new FixedTimeProvider(V3SignedAt)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void ComputeReproducesEveryVendorSignature(string vector)
    {
        var v = Vectors[vector];
        var body = Body(v);

        var computed = v.RequiredString("signature_version") switch
        {
            "v1" => HubSpotSignature.ComputeV1(v.RequiredString("client_secret"), body),
            "v2" => HubSpotSignature.ComputeV2(v.RequiredString("client_secret"), v.RequiredString("method"), v.RequiredString("uri"), body),
            _ => HubSpotSignature.ComputeV3(v.RequiredString("client_secret"), v.RequiredString("method"), v.RequiredString("uri"), body, v.RequiredString("timestamp")),
        };

        Assert.Equal(v.RequiredString("expected_signature"), computed);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void RejectsEveryVectorWithWrongSecret(string vector)
    {
        var v = Vectors[vector];
        var wrong = ReplaceString(v, "client_secret", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz");

        Assert.False(Verify(wrong, v.RequiredString("expected_signature"), new FixedTimeProvider(V3SignedAt)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void RejectsEveryVectorWithTamperedBody(string vector)
    {
        var v = Vectors[vector];
        var tampered = ReplaceString(v, "request_body", v.RequiredString("request_body") + " ");

        Assert.False(Verify(tampered, v.RequiredString("expected_signature"), new FixedTimeProvider(V3SignedAt)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void RejectsEveryVectorWithMissingHeader(string vector)
    {
        var v = Vectors[vector];

        Assert.False(Verify(v, null, new FixedTimeProvider(V3SignedAt)));
        Assert.False(Verify(v, string.Empty, new FixedTimeProvider(V3SignedAt)));
    }

    [Fact]
    public void V1AcceptsUppercaseHex()
    {
        var v1 = Vectors.Values.First(v => v.RequiredString("signature_version") == "v1");

        Assert.True(HubSpotSignature.IsValidV1(v1.RequiredString("client_secret"), Body(v1), v1.RequiredString("expected_signature").ToUpperInvariant()));
    }

    [Fact]
    public void V2RejectsAnotherUri()
    {
        var v2 = Vectors.Values.First(v => v.RequiredString("signature_version") == "v2");

        Assert.False(HubSpotSignature.IsValidV2(v2.RequiredString("client_secret"), v2.RequiredString("method"), "https://www.example.com/other", Body(v2), v2.RequiredString("expected_signature")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(299_999)]
    [InlineData(300_000)]
    [InlineData(-300_000)]
    public void V3AcceptsWithinFiveMinutes(long nowMinusSignedMs)
    {
        Assert.True(VerifyV3At(V3SignedAt.AddMilliseconds(nowMinusSignedMs)));
    }

    [Theory]
    [InlineData(300_001)]
    [InlineData(3_600_000)]
    [InlineData(-300_001)]
    public void V3RejectsOutsideFiveMinutes(long nowMinusSignedMs)
    {
        Assert.False(VerifyV3At(V3SignedAt.AddMilliseconds(nowMinusSignedMs)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1693657560000.0")]
    [InlineData("-1693657560000")]
    [InlineData(" 1693657560000")]
    [InlineData("2023-09-02T12:26:00Z")]
    public void V3RejectsMissingOrMalformedTimestamp(string? timestamp)
    {
        Assert.False(HubSpotSignature.IsValidV3(
            V3.RequiredString("client_secret"), V3.RequiredString("method"), V3.RequiredString("uri"), Body(V3), timestamp, V3.RequiredString("expected_signature"), new FixedTimeProvider(V3SignedAt)));
    }

    [Fact]
    public void V3RejectsFreshTimestampThatWasNotSigned()
    {
        // Moving the timestamp forward to dodge the window must break the HMAC.
        var now = V3SignedAt.AddHours(1);

        Assert.False(HubSpotSignature.IsValidV3(
            V3.RequiredString("client_secret"), V3.RequiredString("method"), V3.RequiredString("uri"), Body(V3),
            now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), V3.RequiredString("expected_signature"), new FixedTimeProvider(now)));
    }

    private static bool VerifyV3At(DateTimeOffset now) =>
        HubSpotSignature.IsValidV3(
            V3.RequiredString("client_secret"), V3.RequiredString("method"), V3.RequiredString("uri"), Body(V3), V3.RequiredString("timestamp"), V3.RequiredString("expected_signature"), new FixedTimeProvider(now));

    private static bool Verify(JsonElement v, string? signature, TimeProvider clock) =>
        v.RequiredString("signature_version") switch
        {
            "v1" => HubSpotSignature.IsValidV1(v.RequiredString("client_secret"), Body(v), signature),
            "v2" => HubSpotSignature.IsValidV2(v.RequiredString("client_secret"), v.RequiredString("method"), v.RequiredString("uri"), Body(v), signature),
            "v3" => HubSpotSignature.IsValidV3(v.RequiredString("client_secret"), v.RequiredString("method"), v.RequiredString("uri"), Body(v), v.RequiredString("timestamp"), signature, clock),
            var other => throw new InvalidOperationException($"unknown signature version {other}"),
        };

    private static byte[] Body(JsonElement vector) => Encoding.UTF8.GetBytes(vector.RequiredString("request_body"));

    private static JsonElement ReplaceString(JsonElement vector, string property, string value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(vector.GetRawText())!;
        node[property] = value;
        return JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
    }

    // Vectors have no "test" name; name them by version, method and source SDK so failures are readable.
    private static IReadOnlyDictionary<string, JsonElement> NamedVectors()
    {
        var named = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var index = 0;
        foreach (var v in SignatureFixtures.Json(Vendor, "hubspot_webhook_signature_vectors.json").GetProperty("vectors").EnumerateArray())
        {
            var sdk = v.RequiredString("source").Contains("python", StringComparison.Ordinal) ? "python" : "nodejs";
            named.Add($"{index++:00} {v.RequiredString("signature_version")} {v.RequiredString("method")} ({sdk} SDK)", v);
        }

        return named;
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SalesFlow.Infrastructure.Signatures;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Channels.Signatures;

public class TwilioSignatureTests
{
    private const string Vendor = "twilio";

    private static readonly JsonElement Root = SignatureFixtures.Json(Vendor, "twilio_signature_vectors.json");
    private static readonly IReadOnlyDictionary<string, JsonElement> FormVectors = SignatureFixtures.Named(Root.GetProperty("form_vectors"), "test");
    private static readonly IReadOnlyDictionary<string, JsonElement> JsonVectors = SignatureFixtures.Named(Root.GetProperty("json_body_vectors"), "test");

    public static TheoryData<string> FormVectorNames => SignatureFixtures.Names(FormVectors);

    public static TheoryData<string> JsonVectorNames => SignatureFixtures.Names(JsonVectors);

    public static TheoryData<string> AsReceivedFormVectorNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var (name, vector) in FormVectors)
            {
                if (vector.OptionalString("matched_variant") == "as_received")
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
        // Guards against a truncated copy silently shrinking the theories below.
        Assert.Equal(22, FormVectors.Count);
        Assert.Equal(4, JsonVectors.Count);
    }

    [Theory]
    [MemberData(nameof(FormVectorNames))]
    public void ReproducesEveryFormVectorsExpectedValidity(string vector)
    {
        var v = FormVectors[vector];

        var valid = TwilioSignature.IsValid(v.RequiredString("auth_token"), v.RequiredString("url"), Params(v), v.RequiredString("x_twilio_signature"));

        Assert.Equal(v.GetProperty("expected_valid").GetBoolean(), valid);
    }

    [Theory]
    [MemberData(nameof(JsonVectorNames))]
    public void ReproducesEveryJsonBodyVectorsExpectedValidity(string vector)
    {
        var v = JsonVectors[vector];

        var valid = TwilioSignature.IsValidJsonBody(
            v.RequiredString("auth_token"), v.RequiredString("url"), Encoding.UTF8.GetBytes(v.RequiredString("raw_body")), v.RequiredString("x_twilio_signature"));

        Assert.Equal(v.GetProperty("expected_valid").GetBoolean(), valid);
    }

    [Theory]
    [MemberData(nameof(AsReceivedFormVectorNames))]
    public void TheTestSignerMatchesTheVendorSignatureForTheUrlAsReceived(string vector)
    {
        var v = FormVectors[vector];

        Assert.Equal(v.RequiredString("x_twilio_signature"), Webhooks.TwilioSignatureFor(v.RequiredString("auth_token"), v.RequiredString("url"), Params(v)));
    }

    [Fact]
    public void RejectsTamperedFormValue()
    {
        var v = FormVectors.Values.First();
        var tampered = Params(v).Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>(p.Key, "9999") : p).ToList();

        Assert.True(TwilioSignature.IsValid("12345", v.RequiredString("url"), Params(v), v.RequiredString("x_twilio_signature")));
        Assert.False(TwilioSignature.IsValid("12345", v.RequiredString("url"), tampered, v.RequiredString("x_twilio_signature")));
    }

    [Fact]
    public void RejectsAddedFormField()
    {
        var v = FormVectors.Values.First();
        var extended = Params(v).Append(new KeyValuePair<string, string>("Body", "hi")).ToList();

        Assert.False(TwilioSignature.IsValid("12345", v.RequiredString("url"), extended, v.RequiredString("x_twilio_signature")));
    }

    [Fact]
    public void RejectsWrongAuthToken()
    {
        var v = FormVectors.Values.First();

        Assert.False(TwilioSignature.IsValid("54321", v.RequiredString("url"), Params(v), v.RequiredString("x_twilio_signature")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void RejectsMissingSignature(string? signature)
    {
        var v = FormVectors.Values.First();

        Assert.False(TwilioSignature.IsValid("12345", v.RequiredString("url"), Params(v), signature));
        Assert.False(TwilioSignature.IsValidJsonBody("12345", JsonVectors.Values.First().RequiredString("url"), Encoding.UTF8.GetBytes("{}"), signature));
    }

    [Fact]
    public void RejectsSignatureForAnotherHostCase()
    {
        // Host case is part of what Twilio signs; the validator must not lower-case it to be lenient.
        var lower = Webhooks.TwilioSignatureFor("12345", "https://mycompany.com/a?x=1", []);

        Assert.False(TwilioSignature.IsValid("12345", "https://MyCompany.com/a?x=1", [], lower));
    }

    [Theory]
    [InlineData("https://example.com/sms?x=1", "https://example.com:443/sms?x=1")]
    [InlineData("https://example.com:443/sms?x=1", "https://example.com/sms?x=1")]
    [InlineData("http://example.com/sms", "http://example.com:80/sms")]
    [InlineData("http://example.com:8080/sms", "http://example.com/sms")]
    [InlineData("https://user:p:ss@example.com/sms", "https://user:p:ss@example.com:443/sms")]
    [InlineData("https://[::1]/sms", "https://[::1]:443/sms")]
    [InlineData("https://[::1]:7071/sms", "https://[::1]/sms")]
    public void AcceptsSignatureMadeForThePortVariant(string received, string signed)
    {
        var form = new[] { KeyValuePair.Create("MessageSid", "SM1") };
        var signature = Webhooks.TwilioSignatureFor("secret", signed, form);

        Assert.True(TwilioSignature.IsValid("secret", received, form, signature));
        Assert.False(TwilioSignature.IsValid("other", received, form, signature));
    }

    [Fact]
    public void DoesNotAcceptAnArbitraryPort()
    {
        var form = new[] { KeyValuePair.Create("MessageSid", "SM1") };
        var signature = Webhooks.TwilioSignatureFor("secret", "https://example.com:8443/sms", form);

        Assert.False(TwilioSignature.IsValid("secret", "https://example.com/sms", form, signature));
    }

    [Fact]
    public void RepeatedKeysAreSignedValueByValueInOrdinalOrder()
    {
        // Twilio's .NET validator takes one value per key; twilio-node signs K=[b,a] as "KaKb" and so must we.
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes("secret"), Encoding.UTF8.GetBytes("https://example.com/aKaKbZz")));

        Assert.True(TwilioSignature.IsValid("secret", "https://example.com/a", [KeyValuePair.Create("K", "b"), KeyValuePair.Create("Z", "z"), KeyValuePair.Create("K", "a")], signature));
        Assert.False(TwilioSignature.IsValid("secret", "https://example.com/a", [KeyValuePair.Create("K", "b"), KeyValuePair.Create("Z", "z")], signature));
    }

    [Fact]
    public void TheTestSignerMakesWhatTheValidatorAccepts()
    {
        var form = new[] { KeyValuePair.Create("K", "b"), KeyValuePair.Create("K", "a"), KeyValuePair.Create("Body", "It's") };

        Assert.True(TwilioSignature.IsValid("secret", "https://example.com/a?x=1", form, Webhooks.TwilioSignatureFor("secret", "https://example.com/a?x=1", form)));
    }

    [Fact]
    public void JsonBodyRejectsTamperedBody()
    {
        var v = JsonVectors.Values.First();
        var body = Encoding.UTF8.GetBytes(v.RequiredString("raw_body"));
        var tampered = (byte[])body.Clone();
        tampered[^2] ^= 0x01;

        Assert.True(TwilioSignature.IsValidJsonBody("12345", v.RequiredString("url"), body, v.RequiredString("x_twilio_signature")));
        Assert.False(TwilioSignature.IsValidJsonBody("12345", v.RequiredString("url"), tampered, v.RequiredString("x_twilio_signature")));
    }

    [Fact]
    public void JsonBodyRejectsWrongAuthToken()
    {
        var v = JsonVectors.Values.First();

        Assert.False(TwilioSignature.IsValidJsonBody("54321", v.RequiredString("url"), Encoding.UTF8.GetBytes(v.RequiredString("raw_body")), v.RequiredString("x_twilio_signature")));
    }

    [Fact]
    public void JsonBodyRejectsUrlSignedWithAnotherBodyHash()
    {
        // Signature genuinely covers the URL, but the URL's hash is of a different body.
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        var otherHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("{\"a\":2}")));
        var url = "https://example.com/hook?bodySHA256=" + otherHash;
        var signature = Webhooks.TwilioSignatureFor("secret", url, []);

        Assert.False(TwilioSignature.IsValidJsonBody("secret", url, body, signature));
        Assert.True(TwilioSignature.IsValidJsonBody("secret", url, Encoding.UTF8.GetBytes("{\"a\":2}"), signature));
    }

    /// <summary>Flattens the vector's params: a string value is one field, an array value is a repeated key.</summary>
    private static List<KeyValuePair<string, string>> Params(JsonElement vector)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var property in vector.GetProperty("params").EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                result.AddRange(property.Value.EnumerateArray().Select(value => KeyValuePair.Create(property.Name, value.GetString()!)));
            }
            else
            {
                result.Add(KeyValuePair.Create(property.Name, property.Value.GetString()!));
            }
        }

        return result;
    }
}

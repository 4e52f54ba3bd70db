using System.Security.Cryptography;
using System.Text;
using SalesFlow.Infrastructure.Azure.StorageQueues;

namespace SalesFlow.Tests.Adapters.Azure;

public sealed class StorageSharedKeyTests
{
    private static readonly KeyValuePair<string, string>[] DocumentedHeaders =
    [
        new("x-ms-version", "2015-02-21"),
        new("x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT"),
    ];

    [Fact]
    public void StringToSignMatchesTheDocumentedExample()
    {
        // "Authorize with Shared Key": GET https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata&timeout=20
        var toSign = StorageSharedKey.StringToSign(
            "GET",
            "myaccount",
            "/mycontainer",
            [new("restype", "container"), new("comp", "metadata"), new("timeout", "20")],
            DocumentedHeaders,
            contentLength: 0,
            contentType: null);

        Assert.Equal(
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20",
            toSign);
    }

    [Fact]
    public void APathStyleEmulatorUriRepeatsTheAccountInTheCanonicalizedResource()
    {
        var toSign = StorageSharedKey.StringToSign("PUT", "devstoreaccount1", "/devstoreaccount1/orders", [], DocumentedHeaders, 0, null);

        Assert.EndsWith("\n/devstoreaccount1/devstoreaccount1/orders", toSign);
    }

    [Fact]
    public void ABodyContributesItsLengthAndTypeAndAZeroLengthIsEmpty()
    {
        var withBody = StorageSharedKey.StringToSign("POST", "a", "/q/messages", [], DocumentedHeaders, 42, "application/xml");
        var empty = StorageSharedKey.StringToSign("PUT", "a", "/q", [], DocumentedHeaders, 0, null);

        Assert.StartsWith("POST\n\n\n42\n\napplication/xml\n", withBody);
        Assert.StartsWith("PUT\n\n\n\n\n\n", empty);
    }

    [Fact]
    public void QueryParametersAreLowerCasedSortedAndSignedDecoded()
    {
        var toSign = StorageSharedKey.StringToSign(
            "DELETE",
            "a",
            "/q/messages/id",
            [new("PopReceipt", "AgAA+/x=="), new("Comp", "x"), new("comp", "y")],
            DocumentedHeaders,
            0,
            null);

        Assert.EndsWith("/a/q/messages/id\ncomp:x,y\npopreceipt:AgAA+/x==", toSign);
    }

    [Fact]
    public void OnlyXmsHeadersAreCanonicalizedLowerCasedAndSorted()
    {
        var toSign = StorageSharedKey.StringToSign(
            "GET",
            "a",
            "/q",
            [],
            [new("X-MS-Version", " 2021-12-02 "), new("Accept", "application/xml"), new("x-ms-client-request-id", "r1"), new("x-ms-date", "d")],
            0,
            null);

        Assert.Contains("\n\nx-ms-client-request-id:r1\nx-ms-date:d\nx-ms-version:2021-12-02\n/a/q", toSign);
        Assert.DoesNotContain("accept", toSign, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheSignatureIsHmacSha256OfTheStringToSignUnderTheDecodedKey()
    {
        var key = new StorageSharedKey("devstoreaccount1", StorageConnectionString.DevelopmentAccountKey);
        const string toSign = "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:d\nx-ms-version:v\n/devstoreaccount1/devstoreaccount1/q";

        var expected = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(StorageConnectionString.DevelopmentAccountKey), Encoding.UTF8.GetBytes(toSign)));

        Assert.Equal("SharedKey devstoreaccount1:" + expected, key.AuthorizationHeader(toSign));
    }

    [Fact]
    public void AnAccountKeyThatIsNotBase64IsRefused() =>
        Assert.Throws<ArgumentException>(() => new StorageSharedKey("a", "not base64!"));
}

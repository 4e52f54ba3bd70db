using System.Text;
using System.Text.Json;
using SalesFlow.Functions.Hosting;

namespace SalesFlow.Tests.Hosting;

/// <summary>Decoding the Functions host's invocation body in every shape the host is known to send a queue message.</summary>
public sealed class InvocationRequestTests
{
    private const string Work = """{"clientId":"demo","leadId":"lead-1"}""";

    private static InvocationRequest Parse(string body) => InvocationRequest.Parse(JsonDocument.Parse(body).RootElement, "message");

    private static string Body(string messageJson, string metadata = "{}") => "{\"Data\":{\"message\":" + messageJson + "},\"Metadata\":" + metadata + "}";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void ReadsTheDocumentedQueuePayloadWithItsMetadata()
    {
        // The request payload example of the custom handler documentation, with our binding name.
        var request = Parse("""
            {
              "Data": { "message": "{\"clientId\":\"demo\",\"leadId\":\"lead-1\"}" },
              "Metadata": {
                "DequeueCount": 3,
                "ExpirationTime": "2019-10-16T17:58:31+00:00",
                "Id": "800ae4b3-bdd2-4c08-badd-f08e5a34b865",
                "InsertionTime": "2019-10-09T17:58:31+00:00",
                "NextVisibleTime": "2019-10-09T18:08:32+00:00",
                "PopReceipt": "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                "sys": { "MethodName": "process-inbound", "UtcNow": "2019-10-09T17:58:32.2205399Z", "RandGuid": "24ad4c06-24ad-4e5b-8294-3da9714877e9" }
              }
            }
            """);

        Assert.Equal(Work, request.Message);
        Assert.Equal("800ae4b3-bdd2-4c08-badd-f08e5a34b865", request.Id);
        Assert.Equal(3, request.DequeueCount);
    }

    [Fact]
    public void UnwrapsAStringJsonEncodedTwice()
    {
        var twice = JsonSerializer.Serialize(JsonSerializer.Serialize(Work));

        Assert.Equal(Work, Parse(Body(twice)).Message);
    }

    [Fact]
    public void DecodesABase64Message()
    {
        Assert.Equal(Work, Parse(Body(JsonSerializer.Serialize(Base64(Work)))).Message);
    }

    [Fact]
    public void DecodesBase64OfAStringThatWasJsonEncodedTwice()
    {
        Assert.Equal(Work, Parse(Body(JsonSerializer.Serialize(Base64(JsonSerializer.Serialize(Work))))).Message);
    }

    [Fact]
    public void TakesAnAlreadyParsedJsonObjectAsItsText()
    {
        var message = Parse(Body(Work, """{"DequeueCount":"2"}"""));

        Assert.Equal(Work, message.Message);
        Assert.Equal(2, message.DequeueCount);
    }

    [Fact]
    public void LeavesAPlainStringAloneEvenWhenItLooksLikeBase64()
    {
        Assert.Equal("hello world", Parse("""{"Data":{"message":"hello world"}}""").Message);
        Assert.Equal("abcd", Parse("""{"Data":{"message":"abcd"}}""").Message);
    }

    [Fact]
    public void UsesTheOnlyDataValueWhenTheBindingIsNamedOtherwiseAndDefaultsTheMetadata()
    {
        var request = Parse("{\"Data\":{\"myQueueItem\":" + JsonSerializer.Serialize(Work) + "}}");

        Assert.Equal(Work, request.Message);
        Assert.Null(request.Id);
        Assert.Equal(1, request.DequeueCount);
    }

    [Fact]
    public void HasNoMessageWhenDataIsMissingAndRejectsABodyThatIsNotAnObject()
    {
        Assert.Null(Parse("""{"Metadata":{"Id":"x"}}""").Message);
        Assert.Throws<FormatException>(() => Parse("""["Data"]"""));
    }
}

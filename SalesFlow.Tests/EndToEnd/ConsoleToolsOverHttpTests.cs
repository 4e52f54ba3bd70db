using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// What the console's playground and knowledge page need from the API: a new simulated lead started through the chat
/// stream (its opening reply streamed), and a bad FAQ CSV told by row and column.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConsoleToolsOverHttpTests(AppFixture fixture)
{
    private SalesFlowAppProcess App => fixture.App;

    private static string NewPhone() => "+4917" + Random.Shared.Next(10000000, 99999999);

    private async Task<HttpClient> OtherClientAsync()
    {
        using var admin = App.Anonymous();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AppFixture.AdminKey);
        var other = await (await admin.PostAsJsonAsync("/api/admin/clients", new { id = "chat-tenant-" + Guid.NewGuid().ToString("N")[..8], name = "Other" })).JsonAsync();
        var intruder = App.Anonymous();
        intruder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other.Str("apiKey"));
        return intruder;
    }

    [Fact]
    public async Task ANewSimulatedLeadIsStartedThroughTheStreamAndItsOpeningReplyArrivesTokenByToken()
    {
        var sse = await App.Http.PostSseAsync("/api/chat/stream", new { channel = "sms", from = NewPhone(), name = "Jonas Weber", message = "Hallo, ich interessiere mich für Ihr CRM. Was kostet es?" });

        Assert.True(sse.Tokens.Count > 1, $"only {sse.Tokens.Count} tokens");
        var done = sse.Done.Data;
        Assert.Equal("lead", done.Str("mode"));
        Assert.Equal(done.Str("reply"), sse.Text);
        var conversationId = done.Str("conversationId");
        var leadId = done.Str("leadId");
        var conversation = await App.Http.GetJsonAsync($"/api/conversations/{conversationId}");
        Assert.Equal((leadId, "sms", done.Str("state")), (conversation.Str("leadId"), conversation.Str("lastChannel"), conversation.Str("state")));
        Assert.Equal(2, conversation.GetProperty("messages").GetArrayLength()); // the lead's message and the streamed reply
        Assert.Equal("Jonas Weber", (await App.Http.GetJsonAsync($"/api/leads/{leadId}")).Str("name"));

        var next = await App.Http.PostSseAsync("/api/chat/stream", new { conversationId, message = "Können wir nächste Woche einen Termin machen?" });
        Assert.Equal((conversationId, leadId), (next.Done.Data.Str("conversationId"), next.Done.Data.Str("leadId")));
        Assert.Equal(4, (await App.Http.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("messages").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"channel":"fax","from":"+4915100000001","message":"hi"}""", "channel")]
    [InlineData("""{"channel":"sms","message":"hi"}""", "from")]
    [InlineData("""{"channel":"sms","from":"+4915100000001","name":"a\nb","message":"hi"}""", "name")]
    [InlineData("""{"channel":"sms","from":"+4915100000001","message":" "}""", "message")]
    [InlineData("""{"channel":"sms","from":"+4915100000001","message":"hi","mode":"coach"}""", "conversationId")]
    public async Task ABadNewLeadStartIsAProblemNamingTheFieldAndStartsNothing(string body, string field)
    {
        using var response = await App.Http.PostAsync("/api/chat/stream", new StringContent(body, Encoding.UTF8, "application/json"));

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Empty((await App.Http.GetJsonAsync("/api/leads?q=4915100000001")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task AnotherClientCannotChatInOrCoachOnAConversationStartedInThePlayground()
    {
        var started = await App.Http.PostSseAsync("/api/chat/stream", new { channel = "whatsapp", from = NewPhone(), message = "Hi, what does the Pro plan cost?" });
        var conversationId = started.Done.Data.Str("conversationId");
        using var intruder = await OtherClientAsync();

        foreach (var mode in new[] { "lead", "coach" })
        {
            using var response = await intruder.PostAsJsonAsync("/api/chat/stream", new { conversationId, message = "How do I convince this lead?", mode });
            await ApiJson.AssertProblemAsync(response, HttpStatusCode.NotFound, "conversationId");
        }

        Assert.Equal(2, (await App.Http.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task AFaqCsvWithABadCellIsRefusedNamingItsRowAndColumnAndNothingIsImported()
    {
        var kb = (await App.Http.PostJsonAsync("/api/knowledge/bases", new { name = "CSV " + Guid.NewGuid().ToString("N")[..6] })).Str("id");
        var csv = "question,answer\nWhat does it cost?,€99 per month\n\"Is there a trial,\nand how long?\",30 days\nDo you integrate with HubSpot?,\n";

        using var response = await App.Http.PostAsync($"/api/knowledge/bases/{kb}/faqs/bulk", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("row 4.answer", problem.Str("field")); // the header is row 1; the quoted question spans two lines of row 3
        Assert.StartsWith("CSV row 4, column answer: answer is required", problem.Str("title"), StringComparison.Ordinal);
        Assert.Equal(0, (await App.Http.GetJsonAsync($"/api/knowledge/bases/{kb}/stats")).GetProperty("faqs").GetInt32());
    }
}

using System.Net;
using System.Text;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>
/// A client's own compliance rules set through PATCH /api/clients/demo/config reach both the dry-run check and the
/// replies a real conversation gets.
/// </summary>
public sealed class ClientComplianceOverHttpTests : IAsyncLifetime
{
    private const string Disclosure = "You are chatting with Demo's AI assistant.";

    private InProcessApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await InProcessApp.StandaloneAsync();
        using var response = await _app.Http.PatchAsync(
            "/api/clients/demo/config",
            new StringContent($$"""{ "compliance": { "bannedPhrases": ["cheap"], "aiDisclosure": "{{Disclosure}}" } }""", Encoding.UTF8, "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task The_config_shows_the_clients_compliance_rules()
    {
        var config = await _app.Http.GetJsonAsync("/api/clients/demo/config");

        Assert.Equal(Disclosure, config.GetProperty("compliance").Str("aiDisclosure"));
        Assert.Equal("cheap", config.GetProperty("compliance").GetProperty("bannedPhrases")[0].GetString());
    }

    [Fact]
    public async Task The_check_removes_a_banned_phrase_and_discloses_on_a_first_message()
    {
        var result = await _app.Http.PostJsonAsync("/api/compliance/check", new { text = "We are not cheap. We save your team an hour a day; shall we talk?" });

        Assert.Equal("rewrite", result.Str("verdict"));
        var rules = result.GetProperty("rules").EnumerateArray().Select(r => r.Str("id")).ToList();
        Assert.Equal(["banned_phrase", "ai_disclosure"], rules);
        Assert.Equal(Disclosure + "\nWe save your team an hour a day; shall we talk?", result.Str("safeText"));
    }

    [Fact]
    public async Task A_conversations_first_reply_carries_the_disclosure_and_the_next_does_not()
    {
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4917055511122", message = "Hi, I'm interested in your scheduling tool" });
        var next = await _app.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "We are 40 people, what does it cost?" });

        Assert.StartsWith(Disclosure + "\n", start.Str("reply"), StringComparison.Ordinal);
        Assert.DoesNotContain(Disclosure, next.Str("reply"), StringComparison.Ordinal);
        // The check for this lead now judges a later message: no disclosure is due.
        var check = await _app.Http.PostJsonAsync("/api/compliance/check", new { text = "Happy to walk you through the plans.", leadId = start.Str("leadId") });
        Assert.Equal("allow", check.Str("verdict"));
    }

    [Fact]
    public async Task A_figure_the_lead_wrote_may_be_repeated_in_the_check()
    {
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917055533344", message = "Our budget is 4,500 EUR per year" });
        await _app.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "Is 4,500 EUR per year enough?" });

        var check = await _app.Http.PostJsonAsync("/api/compliance/check", new { text = "Thanks, a budget of 4,500 EUR per year is a good basis for a first talk.", leadId = start.Str("leadId") });

        Assert.Equal("allow", check.Str("verdict"));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>POST /api/leads/{id}/scripts on the real app: a script for the lead SalesFlow talked to, vetted by the client's rules.</summary>
public sealed class ScriptsOverHttpTests : IAsyncLifetime
{
    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task A_lead_who_objected_to_the_price_gets_a_call_script_answering_it_and_asking_for_what_is_open()
    {
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = "+4917066611122", message = "Hi, we need a better way to schedule our field team" });
        await _app.Http.PostJsonAsync($"/api/conversations/{start.Str("conversationId")}/messages", new { message = "Honestly that sounds too expensive for us" });

        var script = await _app.Http.PostJsonAsync($"/api/leads/{start.Str("leadId")}/scripts", new { goal = "handle_objection", channel = "call" });

        Assert.Equal("handle_objection", script.Str("goal"));
        Assert.Equal("en", script.Str("language"));
        Assert.Contains("price", script.GetProperty("basedOn").GetProperty("objections").EnumerateArray().Select(o => o.GetString()));
        Assert.Contains("budget", script.GetProperty("basedOn").GetProperty("bantGaps").EnumerateArray().Select(o => o.GetString()));
        var sections = script.GetProperty("sections").EnumerateArray().Select(s => s.Str("name")).ToList();
        Assert.Equal(["opener", "discovery", "objections", "ask", "close"], sections);
        Assert.Equal("allow", script.GetProperty("compliance").Str("verdict"));
    }

    [Fact]
    public async Task A_line_with_one_of_the_clients_banned_phrases_is_dropped_and_the_verdict_says_so()
    {
        using var patch = await _app.Http.PatchAsync("/api/clients/demo/config", new StringContent("""{ "compliance": { "bannedPhrases": ["next step"] } }""", Encoding.UTF8, "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917066633344", message = "Hi, tell me more about your product" });

        var script = await _app.Http.PostJsonAsync($"/api/leads/{start.Str("leadId")}/scripts", new { goal = "book_meeting", channel = "call" });

        Assert.DoesNotContain("next step", script.Str("text"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("close", script.GetProperty("sections").EnumerateArray().Select(s => s.Str("name")));
        Assert.Equal("block", script.GetProperty("compliance").Str("verdict"));
        Assert.Equal("banned_phrase", Assert.Single(script.GetProperty("compliance").GetProperty("rules").EnumerateArray()).Str("id"));
    }

    [Theory]
    [InlineData("""{"goal": "win", "channel": "call"}""", "goal")]
    [InlineData("""{"channel": "call"}""", "goal")]
    [InlineData("""{"goal": "qualify", "channel": "pigeon"}""", "channel")]
    public async Task Bad_input_is_a_400_naming_the_field(string body, string field)
    {
        var start = await _app.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917066655566", message = "Hello" });

        await ApiJson.AssertProblemAsync(
            await _app.Http.PostAsync($"/api/leads/{start.Str("leadId")}/scripts", new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Another_clients_lead_is_a_404()
    {
        var (foreign, _) = await _app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync(
            "globex", IdentityKind.Phone, "+4917066677788", () => new Lead { Id = Ids.New("lead"), ClientId = "globex", Phone = "+4917066677788", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow }, default);

        using var response = await _app.Http.PostAsJsonAsync($"/api/leads/{foreign.Id}/scripts", new { goal = "qualify", channel = "call" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

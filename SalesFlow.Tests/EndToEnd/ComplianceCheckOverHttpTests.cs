using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SalesFlow.Core.Common;
using SalesFlow.Core.Leads;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>POST /api/compliance/check on the real app: the verdict the replies get, as a dry run (nothing audited).</summary>
public sealed class ComplianceCheckOverHttpTests : IAsyncLifetime
{
    private InProcessApp _app = null!;

    public async Task InitializeAsync() => _app = await InProcessApp.StandaloneAsync();

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    private async Task<string> LeadAsync(string clientId, string phone)
    {
        var (lead, _) = await _app.Services.GetRequiredService<ILeadStore>().GetOrCreateByIdentityAsync(
            clientId, IdentityKind.Phone, phone, () => new Lead { Id = Ids.New("lead"), ClientId = clientId, Phone = phone, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow }, default);
        return lead.Id;
    }

    private async Task<int> AuditedAsync() =>
        (await _app.Http.GetJsonAsync("/api/compliance/audit")).GetProperty("items").GetArrayLength();

    [Fact]
    public async Task A_safe_text_is_allowed_unchanged_and_nothing_is_audited()
    {
        var before = await AuditedAsync();

        var result = await _app.Http.PostJsonAsync("/api/compliance/check", new { text = "Happy to show you how the scheduling works. Would a short call this week help?" });

        Assert.Equal("allow", result.Str("verdict"));
        Assert.Equal(0, result.GetProperty("rules").GetArrayLength());
        Assert.Equal("Happy to show you how the scheduling works. Would a short call this week help?", result.Str("safeText"));
        Assert.Equal(before, await AuditedAsync());
    }

    [Fact]
    public async Task A_guarantee_is_caught_with_its_rule_named_and_kept_out_of_the_safe_text()
    {
        var result = await _app.Http.PostJsonAsync("/api/compliance/check", new { text = "We guarantee you will double your revenue in 30 days. Shall I send the details?", channel = "whatsapp" });

        Assert.NotEqual("allow", result.Str("verdict"));
        Assert.Contains(result.GetProperty("rules").EnumerateArray(), r => r.Str("id").Length > 0 && r.Str("description").Length > 0);
        Assert.DoesNotContain("guarantee", result.Str("safeText"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_leads_own_number_may_be_repeated_but_another_persons_may_not()
    {
        var leadId = await LeadAsync("demo", "+4917011122233");

        var own = await _app.Http.PostJsonAsync("/api/compliance/check", new { text = "We will call you at +4917011122233 tomorrow.", leadId });
        var other = await _app.Http.PostJsonAsync("/api/compliance/check", new { text = "We will call you at +4917099988877 tomorrow.", leadId });

        Assert.Equal("allow", own.Str("verdict"));
        Assert.NotEqual("allow", other.Str("verdict"));
    }

    [Theory]
    [InlineData("""{"text": ""}""", "text")]
    [InlineData("""{"text": "Hello", "channel": "pigeon"}""", "channel")]
    public async Task Bad_input_is_a_400_naming_the_field(string body, string field) =>
        await ApiJson.AssertProblemAsync(
            await _app.Http.PostAsync("/api/compliance/check", new StringContent(body, System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, field);

    [Fact]
    public async Task Another_clients_lead_is_a_404_naming_leadId()
    {
        var foreign = await LeadAsync("globex", "+4917044455566");

        using var response = await _app.Http.PostAsJsonAsync("/api/compliance/check", new { text = "Hello there", leadId = foreign });

        await ApiJson.AssertProblemAsync(response, HttpStatusCode.NotFound, "leadId");
    }
}

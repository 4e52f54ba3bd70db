using System.Net;
using SalesFlow.Tests.Support;
using static SalesFlow.Tests.Support.SalesFlowAppProcess;

namespace SalesFlow.Tests.EndToEnd;

/// <summary>Follow-ups in the running standalone app: store timers swept by the follow-ups timer, surviving a restart.</summary>
public sealed class FollowUpsOverHttpTests
{
    [Fact]
    public async Task A_quiet_lead_gets_each_step_of_a_short_cadence_once_and_a_restart_loses_none()
    {
        // Seconds instead of hours (the setting allows it for demos and tests); no quiet hours, whenever the test runs.
        await using var app = await SalesFlowAppProcess.StartAsync(new()
        {
            ["FollowUps__Cadence"] = "PT2S,PT4S",
            ["FollowUps__QuietFrom"] = "00:00",
            ["FollowUps__QuietUntil"] = "00:00",
        });
        var waId = "4917013" + Random.Shared.Next(100000, 999999);
        using var response = await app.Http.SendAsync(Webhooks.SignedWhatsApp("demo", Webhooks.WhatsAppText(waId, "wamid.fu-" + waId, "Hi, I'm interested in your product."), WhatsAppAppSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = (await Eventually.ReturnsAsync(async () => await app.Http.OutboxAsync(), i => i.Any(r => r.Str("recipient") == "+" + waId && r.Str("status") == "sent"), because: "the turn's reply"))
            .Single(r => r.Str("recipient") == "+" + waId);

        // The timer is in the store: a crash and a restart before it is due lose nothing.
        await app.KillAsync();
        await app.RestartAsync();

        var leadId = reply.Str("leadId");
        var followUps = await Eventually.ReturnsAsync(
            async () => (await app.Http.OutboxAsync(leadId)).Where(i => i.Str("purpose") == "follow_up").ToArray(),
            i => i.Length == 2 && i.All(f => f.Str("status") == "sent"),
            timeout: TimeSpan.FromSeconds(150),
            because: "both steps are swept (every 30 s) and delivered\n" + app.Output);

        Assert.Equal(2, followUps.Select(f => f.Str("idempotencyKey")).Distinct().Count());
        Assert.All(followUps, f => Assert.Equal("+" + waId, f.Str("recipient")));
        Assert.Contains("Anna", followUps[^1].Str("text"), StringComparison.Ordinal);
    }
}

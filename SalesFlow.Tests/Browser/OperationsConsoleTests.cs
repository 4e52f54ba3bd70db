using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Browser;

/// <summary>
/// The console's analytics, operations and settings pages in chromium against the real app (demo client). Data is
/// seeded through the public API, except parked work: nothing public parks work on purpose, so the test writes it
/// into the app's queue table as a crashed handler would leave it (as LifecycleOverHttpTests does).
/// </summary>
[Collection(ConsoleBrowserFixture.Collection)]
public sealed class OperationsConsoleTests(ConsoleBrowserFixture browser)
{
    private HttpClient Api => browser.App.Http;

    private static string NewPhone() => "+4917055" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> SeedConversationAsync(string? answer = null)
    {
        var phone = NewPhone();
        var started = await Api.PostJsonAsync("/api/conversations", new { channel = "sms", from = phone, message = "Hi, I run sales at a company of 20 people. What does it cost?" });
        if (answer is not null)
        {
            // The lead answers the reply: the channel report counts a reply.
            await Api.PostJsonAsync($"/api/conversations/{started.Str("conversationId")}/messages", new { message = answer });
        }

        return phone;
    }

    private async Task ExecuteSqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(browser.App.DataDir, "salesflow.db")}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=5000; " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A deliver job parked after five failed tries, as the queue leaves it.</summary>
    private Task ParkAsync(string clientId, string marker) => ExecuteSqlAsync(
        "INSERT INTO jobs (queue, payload, due_at, created_at, dequeue_count, last_error) VALUES ('deliver-poison', $p, 0, 0, 5, $e)",
        ("$p", JsonSerializer.Serialize(new { clientId, outboxId = "out_" + marker })),
        ("$e", $"Outbox item out_{marker} not found"));

    [Fact]
    public async Task AnalyticsDrawsTheDemoClientsFunnelAndScoresAsChartsThatCarryTheirNumbers()
    {
        await SeedConversationAsync("We are 20 reps and want to start next month, budget is about 500 euros a month.");
        await SeedConversationAsync("I am the head of sales. Can we book a demo call this week?");
        var scores = await Api.GetJsonAsync("/api/analytics/scores");
        var funnel = await Api.GetJsonAsync("/api/analytics/funnel");
        var channels = await Api.GetJsonAsync("/api/analytics/channels");
        Assert.True(scores.GetProperty("leads").GetInt32() >= 1);

        var page = await browser.SignedInPageAsync("en", "#/analytics");

        var temperatures = scores.GetProperty("temperatures").EnumerateArray().Select(t => $"{t.Str("temperature").ToUpperInvariant()} {t.GetProperty("leads").GetInt32()}");
        await Assertions.Expect(page.Locator("#chart-temperature svg[role=img]")).ToHaveAttributeAsync("aria-label", "Leads by temperature: " + string.Join("; ", temperatures));
        var firstReply = funnel.GetProperty("steps")[0].GetProperty("leads").GetInt32();
        Assert.True(firstReply >= 1);
        var funnelChart = page.Locator("#chart-funnel svg[role=img]");
        Assert.StartsWith($"Leads reaching each step: First reply {firstReply}; Qualified ", await funnelChart.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
        Assert.True(await funnelChart.Locator("rect.chart-bar").CountAsync() == 7);

        // The same numbers as a table, one click away.
        await page.Locator("#chart-funnel summary").ClickAsync();
        var firstRow = page.Locator("#chart-funnel table tbody tr").First;
        await Assertions.Expect(firstRow.Locator("th")).ToHaveTextAsync("First reply");
        await Assertions.Expect(firstRow.Locator("td").First).ToHaveTextAsync(firstReply.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Reply time by channel: the SMS leads answered, so SMS has a median reply time and its replies counted.
        var sms = channels.GetProperty("byChannel").EnumerateArray().Single(c => c.Str("channel") == "sms");
        Assert.True(sms.GetProperty("replied").GetInt32() >= 2);
        await page.Locator("#chart-reply-time summary").ClickAsync();
        var smsRow = page.Locator("#chart-reply-time table tbody tr", new() { HasText = "SMS" });
        await Assertions.Expect(smsRow.Locator("td").Nth(0)).Not.ToHaveTextAsync("–");
        await Assertions.Expect(smsRow.Locator("td").Nth(2)).ToHaveTextAsync(sms.GetProperty("replied").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("Median reply time by channel: ", await page.Locator("#chart-reply-time svg[role=img]").GetAttributeAsync("aria-label"), StringComparison.Ordinal);

        // Replies by hour of day: all 24 hours in the client's time zone, each with the count the API gives.
        var replied = channels.GetProperty("byHour").EnumerateArray().ToDictionary(x => x.GetProperty("hour").GetInt32(), x => x.GetProperty("replied").GetInt32());
        Assert.True(replied.Values.Sum() >= 2);
        var hours = Enumerable.Range(0, 24).Select(hour => $"{hour:00}:00 {replied.GetValueOrDefault(hour)}");
        var hourChart = page.Locator("#chart-hours svg[role=img]");
        await Assertions.Expect(hourChart).ToHaveAttributeAsync("aria-label", $"Replies by hour of day ({channels.Str("timeZone")}): " + string.Join("; ", hours));
        Assert.Equal(24, await hourChart.Locator("rect.chart-bar").CountAsync());
        await page.Locator("#chart-hours summary").ClickAsync();
        await Assertions.Expect(page.Locator("#chart-hours table tbody tr")).ToHaveCountAsync(24);

        await page.Locator("#analytics-from").FillAsync("2020-01-01");
        await page.Locator("#analytics-to").FillAsync("2020-01-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chart-temperature")).ToContainTextAsync("No data in this range yet.");
        await Assertions.Expect(page.Locator("#analytics-scores")).ToContainTextAsync("Leads with a score, created in this range: 0.");

        await page.ReloadAsync();
        await page.Locator("#chart-funnel svg").WaitForAsync();
        await ConsoleBrowserFixture.ScreenshotAsync(page, "analytics");
    }

    [Fact]
    public async Task OperationsListsTheOutboxAndOnlyThisClientsParkedWorkAndReplaysIt()
    {
        var phone = await SeedConversationAsync();
        var mine = "console" + Guid.NewGuid().ToString("N")[..8];
        var theirs = "other" + Guid.NewGuid().ToString("N")[..8];
        await ParkAsync("demo", mine);
        await ParkAsync("another-client", theirs);
        try
        {
            var page = await browser.SignedInPageAsync("en", "#/operations");

            await Assertions.Expect(page.Locator("#ops-outbox tbody")).ToContainTextAsync(phone);
            var parked = page.Locator("#ops-poison tbody tr", new() { HasText = mine });
            await Assertions.Expect(parked).ToContainTextAsync($"Outbox item out_{mine} not found");
            await Assertions.Expect(parked.Locator("td").First).ToHaveTextAsync("Delivery");
            await Assertions.Expect(page.Locator("#ops-poison")).Not.ToContainTextAsync(theirs);
            await page.Locator("#usage-total").WaitForAsync();
            await ConsoleBrowserFixture.ScreenshotAsync(page, "operations");

            await parked.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();

            await Assertions.Expect(page.Locator("#ops-poison .notice")).ToHaveTextAsync("The item is back in its queue.");
            await Assertions.Expect(page.Locator("#ops-poison")).Not.ToContainTextAsync(mine);
            var left = (await Api.GetJsonAsync("/api/operations/poison")).GetProperty("items").EnumerateArray().Select(i => i.Str("payload"));
            Assert.DoesNotContain(left, p => p.Contains(mine, StringComparison.Ordinal));
        }
        finally
        {
            await ExecuteSqlAsync("DELETE FROM jobs WHERE payload LIKE $a OR payload LIKE $b", ("$a", $"%{mine}%"), ("$b", $"%{theirs}%"));
        }
    }

    [Fact]
    public async Task SettingsSavesQuietHoursShowsTheFieldAServerErrorNamesAndKeepsASecretMaskedAndWriteOnly()
    {
        const string secret = "whsec_console_test_5678";
        var page = await browser.SignedInPageAsync("en", "#/settings");
        try
        {
            var from = page.GetByLabel("Quiet from");
            await from.FillAsync("25:00");
            await page.GetByLabel("Quiet until").FillAsync("07:00");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();

            // The problem names quietHours.start: its message sits under that field, which is marked invalid.
            await Assertions.Expect(page.Locator("#cfg-quietHours-start-error")).ToContainTextAsync("quietHours.start must be a local time HH:mm");
            await Assertions.Expect(from).ToHaveAttributeAsync("aria-invalid", "true");
            await Assertions.Expect(page.Locator("#settings-error")).ToHaveTextAsync("Please correct “Quiet from”.");

            await from.FillAsync("22:00");
            await page.GetByLabel("Cal.com webhook secret", new() { Exact = true }).FillAsync(secret);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Assertions.Expect(page.Locator("#settings-status")).ToHaveTextAsync("Settings saved.");

            await page.ReloadAsync();
            await Assertions.Expect(page.GetByLabel("Quiet from")).ToHaveValueAsync("22:00");
            await Assertions.Expect(page.GetByLabel("Quiet until")).ToHaveValueAsync("07:00");
            await Assertions.Expect(page.GetByLabel("Cal.com webhook secret", new() { Exact = true })).ToHaveValueAsync("");
            await Assertions.Expect(page.Locator("#cfg-calcom-webhookSecret-hint")).ToContainTextAsync("••••5678");
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
            await ConsoleBrowserFixture.ScreenshotAsync(page, "settings");

            // Saving again with the secret field empty leaves the secret as it is.
            await page.GetByLabel("Quiet until").FillAsync("06:30");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Assertions.Expect(page.Locator("#settings-status")).ToHaveTextAsync("Settings saved.");
            var config = await Api.GetJsonAsync("/api/clients/demo/config");
            Assert.Equal(("22:00", "06:30"), (config.GetProperty("quietHours").Str("start"), config.GetProperty("quietHours").Str("end")));
            Assert.Equal("••••5678", config.GetProperty("calcom").Str("webhookSecret"));
        }
        finally
        {
            // The other browser tests share the demo client: its config goes back to how it was.
            using var restore = new StringContent("""{"quietHours":null,"calcom":null}""", Encoding.UTF8);
            restore.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
            (await Api.PatchAsync("/api/clients/demo/config", restore)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task SettingsRemovesAStoredSecretWhenItsRemoveBoxIsTickedAndOffersNoRemoveBoxWithoutOne()
    {
        await PatchDemoConfigAsync("""{"calcom":{"webhookSecret":"whsec_to_remove_4321"}}""");
        try
        {
            var page = await browser.SignedInPageAsync("en", "#/settings");
            await Assertions.Expect(page.Locator("#cfg-calcom-webhookSecret-hint")).ToContainTextAsync("••••4321");
            var remove = page.GetByLabel("Remove the stored Cal.com webhook secret");
            await Assertions.Expect(remove).ToBeVisibleAsync();
            // A secret that is not stored has nothing to remove: no box for it.
            var before = await Api.GetJsonAsync("/api/clients/demo/config");
            Assert.False(before.TryGetProperty("whatsapp", out var wa) && wa.ValueKind == JsonValueKind.Object
                && wa.TryGetProperty("appSecret", out var app) && app.ValueKind == JsonValueKind.String, "the demo client stores a WhatsApp app secret");
            await Assertions.Expect(page.GetByLabel("Remove the stored WhatsApp app secret")).ToBeHiddenAsync();

            await remove.CheckAsync();
            await Assertions.Expect(page.GetByLabel("Cal.com webhook secret", new() { Exact = true })).ToBeDisabledAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Assertions.Expect(page.Locator("#settings-status")).ToHaveTextAsync("Settings saved.");

            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#cfg-calcom-webhookSecret-hint")).ToHaveTextAsync("Not set.");
            await Assertions.Expect(page.GetByLabel("Remove the stored Cal.com webhook secret")).ToBeHiddenAsync();
            await Assertions.Expect(page.GetByLabel("Cal.com webhook secret", new() { Exact = true })).ToBeEnabledAsync();
            var config = await Api.GetJsonAsync("/api/clients/demo/config");
            Assert.False(config.TryGetProperty("calcom", out var calcom) && calcom.ValueKind == JsonValueKind.Object
                && calcom.TryGetProperty("webhookSecret", out var stored) && stored.ValueKind != JsonValueKind.Null, "the webhook secret is still stored");
        }
        finally
        {
            // The other browser tests share the demo client: its config goes back to how it was.
            await PatchDemoConfigAsync("""{"calcom":null}""");
        }
    }

    private async Task PatchDemoConfigAsync(string mergePatch)
    {
        using var body = new StringContent(mergePatch, Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        (await Api.PatchAsync("/api/clients/demo/config", body)).EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData("en", "analytics")]
    [InlineData("de", "analytics")]
    [InlineData("en", "operations")]
    [InlineData("de", "operations")]
    [InlineData("en", "settings")]
    [InlineData("de", "settings")]
    public async Task ThePageHasNoAxeViolations(string lang, string pageName)
    {
        await SeedConversationAsync();
        var page = await browser.SignedInPageAsync(lang, "#/" + pageName);
        await page.Locator(pageName switch
        {
            "analytics" => "#chart-ai",
            "operations" => "#usage-total",
            _ => "#settings-form",
        }).WaitForAsync();
        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)"); // the tables too
        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(page);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Browser;

/// <summary>The leads table and the lead page in chromium, on leads seeded through the public API (POST /api/conversations).</summary>
[Collection(ConsoleBrowserFixture.Collection)]
public sealed class LeadsConsoleTests(ConsoleBrowserFixture browser)
{
    /// <summary>A lead who wrote on WhatsApp (answered inline by the rules brain); its name is unique to the test.</summary>
    private async Task<(string Id, string Name)> SeedLeadAsync(string first, string message = "Hi, I need 20 licences by March, our budget is 5000 euros.")
    {
        var name = $"{first} {Guid.NewGuid().ToString("N")[..6]}";
        var phone = "+49172" + Random.Shared.Next(1_000_000, 9_999_999);
        var started = await browser.App.Http.PostJsonAsync("/api/conversations", new { channel = "whatsapp", from = phone, name, message });
        return (started.Str("leadId"), name);
    }

    private async Task<IPage> SearchAsync(string name, string lang = "en")
    {
        var page = await browser.SignedInPageAsync(lang, "#/leads");
        await page.Locator("#leads-q").FillAsync(name);
        await page.Locator("#leads-q").PressAsync("Enter");
        await Assertions.Expect(page.Locator("table.leads tbody tr")).ToHaveCountAsync(1);
        return page;
    }

    [Fact]
    public async Task A_lead_opened_from_the_table_shows_its_timeline()
    {
        var (id, name) = await SeedLeadAsync("Tessa");
        var page = await SearchAsync(name);
        var row = page.Locator("table.leads tbody tr");
        await Assertions.Expect(row.Locator(".channel-whatsapp")).ToContainTextAsync("WhatsApp");
        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync(new Regex("^(HOT|WARM|COLD)$"));

        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"#/leads/{id}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        var timeline = page.Locator("#timeline");
        await Assertions.Expect(timeline.Locator(".message.inbound .text")).ToHaveTextAsync("Hi, I need 20 licences by March, our budget is 5000 euros.");
        await Assertions.Expect(timeline.Locator(".message.outbound")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_rep_takes_over_writes_to_the_lead_and_hands_it_back()
    {
        var (id, _) = await SeedLeadAsync("Rafael");
        var page = await browser.SignedInPageAsync("en", $"#/leads/{id}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Take over" }).ClickAsync();
        await page.GetByLabel("Your message").FillAsync("Hi, this is Rita. I will call you at 3 pm.");
        await page.GetByLabel("Your name").FillAsync("Rita Rep");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        var mine = page.Locator("#timeline .message.author-rep");
        await Assertions.Expect(mine.Locator(".text")).ToHaveTextAsync("Hi, this is Rita. I will call you at 3 pm.");
        await Assertions.Expect(mine.Locator(".who")).ToContainTextAsync("Rep: Rita Rep");
        var lead = await browser.App.Http.GetJsonAsync($"/api/leads/{id}");
        Assert.Equal("taken_over", lead.Str("escalationReason"));
        Assert.Contains(await browser.App.Http.OutboxAsync(id), i => i.Str("purpose") == "rep_reply" && i.Str("text") == "Hi, this is Rita. I will call you at 3 pm.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Hand back to AI" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Take over" })).ToBeVisibleAsync();
        Assert.False((await browser.App.Http.GetJsonAsync($"/api/leads/{id}")).GetProperty("escalated").GetBoolean());
    }

    [Fact]
    public async Task Erasing_a_lead_asks_for_confirmation_then_it_is_gone_from_the_list_and_the_api()
    {
        var (id, name) = await SeedLeadAsync("Erik");
        var page = await browser.SignedInPageAsync("en", $"#/leads/{id}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Erase lead (GDPR)" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Erase this lead?" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.App.Http.GetAsync($"/api/leads/{id}")).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Erase lead (GDPR)" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Erase for good" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/leads$"));
        await page.Locator("#leads-q").FillAsync(name);
        await page.Locator("#leads-q").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#leads-table")).ToContainTextAsync("No leads match these filters.");
        Assert.Equal(HttpStatusCode.NotFound, (await browser.App.Http.GetAsync($"/api/leads/{id}")).StatusCode);
    }

    [Fact]
    public async Task Accepting_a_recommendation_records_it_and_takes_it_off_the_page()
    {
        var (id, _) = await SeedLeadAsync("Amira");
        var page = await browser.SignedInPageAsync("de", $"#/leads/{id}");
        var first = page.Locator(".recommendation").First;
        var recommendation = await first.GetAttributeAsync("data-id");

        await first.GetByRole(AriaRole.Button, new() { Name = "annehmen" }).ClickAsync();

        await Assertions.Expect(page.Locator($".recommendation[data-id='{recommendation}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#lead-live")).ToContainTextAsync("Angenommen");
        var accepted = (await browser.App.Http.GetJsonAsync($"/api/recommendations?leadId={id}&status=accepted")).GetProperty("items").EnumerateArray();
        Assert.Contains(accepted, r => r.Str("id") == recommendation);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    public async Task The_leads_and_lead_pages_have_no_axe_violations(string lang)
    {
        var (id, name) = await SeedLeadAsync("Axel");
        await SeedLeadAsync("Bianca", "Hello, what does your product cost for a team of 50?");
        await SeedLeadAsync("Carl", "We want to buy now, can you send the contract today?");
        await browser.App.Http.PostAsJsonAsync($"/api/leads/{id}/takeover", new { by = "Rita Rep" });
        await browser.App.Http.PostAsJsonAsync($"/api/leads/{id}/replies", new { text = "Hi, Rita here. When can I call you?", by = "Rita Rep", id = "axe-" + lang });

        var list = await browser.SignedInPageAsync(lang, "#/leads");
        await Assertions.Expect(list.Locator("table.leads tbody tr").First).ToBeVisibleAsync();
        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(list);
        if (lang == "en")
        {
            await ConsoleBrowserFixture.ScreenshotAsync(list, "leads");
        }

        var page = await browser.SignedInPageAsync(lang, $"#/leads/{id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator("#timeline .message.author-rep")).ToHaveCountAsync(1);
        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(page);
        if (lang == "en")
        {
            await ConsoleBrowserFixture.ScreenshotAsync(page, "lead");
        }
    }

    [Fact]
    public async Task The_lead_page_fits_a_phone_375_pixels_wide_without_sideways_scrolling_and_has_no_axe_violations()
    {
        // A long unbroken word and a long name are the usual causes of a page wider than the phone.
        var (id, name) = await SeedLeadAsync("Maximiliane-Theresia-Wilhelmine", "Hi, we need licences for https://example.com/a/very/long/path/without/any/breaks/in/it/at/all/whatsoever and our budget is 5000 euros.");
        await browser.App.Http.PostAsJsonAsync($"/api/leads/{id}/takeover", new { by = "Rita Rep" });
        await browser.App.Http.PostAsJsonAsync($"/api/leads/{id}/replies", new { text = "Hi, Rita here. When can I call you?", by = "Rita Rep", id = "phone-" + id });

        var page = await browser.SignedInPageAsync("en", $"#/leads/{id}", width: 375, height: 740);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        await Assertions.Expect(page.Locator("#timeline .message.author-rep")).ToHaveCountAsync(1);
        // Names the elements that stick out, so a failure says what to fix.
        var wider = await page.EvaluateAsync<string>("""
            () => document.documentElement.scrollWidth <= window.innerWidth ? '' :
              [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 8).map(e => `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`).join(', ')
            """);
        Assert.True(wider == "", $"the lead page scrolls sideways at 375 px: {wider}");
        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(page);
    }
}

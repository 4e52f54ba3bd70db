using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Browser;

/// <summary>
/// The console's tools in chromium against the real app (rules brain, embedded store): the playground's streamed
/// chat as a simulated lead, the coach's streamed answer, and a knowledge base's FAQ upload and test search.
/// Data is seeded through the public API only.
/// </summary>
[Collection(ConsoleBrowserFixture.Collection)]
public sealed class ToolsConsoleTests(ConsoleBrowserFixture browser)
{
    /// <summary>A turn or a coach answer on a loaded machine can take longer than Playwright's default 5 s.</summary>
    private const float Slow = 60_000;

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ThePlaygroundStreamsTheReplyTokenByTokenAndShowsTheStateAndScoresMove()
    {
        var page = await browser.SignedInPageAsync("en", "#/playground");
        await page.Locator("#pg-form").WaitForAsync();
        await page.Locator("#pg-channel").SelectOptionAsync("whatsapp");
        await page.Locator("#pg-name").FillAsync("Lena Fischer");

        await page.Locator("#pg-message").FillAsync("Hi, I'm interested in your CRM. How much does it cost per user?");
        await page.Locator("#pg-send").ClickAsync();

        var reply = page.Locator(".pg-msg.ai").Last;
        await Assertions.Expect(reply).Not.ToHaveClassAsync(new Regex("streaming"), new() { Timeout = Slow });
        var tokens = int.Parse(await reply.GetAttributeAsync("data-tokens") ?? "0");
        Assert.True(tokens > 1, $"the reply came in {tokens} token event(s)");
        var state = page.Locator("#pg-state");
        await Assertions.Expect(state).Not.ToHaveTextAsync("Not started");
        var firstState = await state.GetAttributeAsync("data-state");
        Assert.False(string.IsNullOrEmpty(firstState));
        await Assertions.Expect(page.Locator("#pg-temperature")).ToHaveTextAsync(new Regex("^(HOT|WARM|COLD)$"), new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("#pg-health")).ToHaveTextAsync(new Regex(@"^\d"));

        // The streamed text is the reply SalesFlow stored for this lead.
        var leadHref = await page.Locator("#pg-lead a").GetAttributeAsync("href");
        var leadId = Uri.UnescapeDataString(leadHref!.Split('/').Last());
        var lead = await browser.App.Http.GetJsonAsync($"/api/leads/{leadId}");
        var conversation = await browser.App.Http.GetJsonAsync($"/api/conversations/{lead.Str("conversationId")}");
        var stored = conversation.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal(stored.Str("text"), await reply.Locator(".pg-text").InnerTextAsync());
        Assert.Equal("Lena Fischer", lead.Str("name"));

        // The second message continues the same lead; the budget and timeline show in BANT.
        await page.Locator("#pg-message").FillAsync("I'm the CEO. Our budget is 20,000 € and we need it by next quarter.");
        await page.Locator("#pg-send").ClickAsync();
        await Assertions.Expect(page.Locator(".pg-msg.ai")).ToHaveCountAsync(2, new() { Timeout = Slow });
        await Assertions.Expect(page.Locator(".pg-msg.ai").Last).Not.ToHaveClassAsync(new Regex("streaming"), new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("#pg-bant-budget")).Not.ToHaveJSPropertyAsync("value", 0, new() { Timeout = Slow });
        Assert.Equal(4, (await browser.App.Http.GetJsonAsync($"/api/conversations/{lead.Str("conversationId")}")).GetProperty("messages").GetArrayLength());
        Assert.Equal("polite", await page.Locator("#pg-stream").GetAttributeAsync("aria-live"));
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("#pg-stream").TextContentAsync()));

        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(page);
        await ConsoleBrowserFixture.ScreenshotAsync(page, "playground");

        // "New lead" starts over: the next message is a different lead.
        await page.Locator("#pg-reset").ClickAsync();
        await Assertions.Expect(page.Locator(".pg-msg")).ToHaveCountAsync(0);
        await Assertions.Expect(state).ToHaveTextAsync("Not started");
        await page.Locator("#pg-message").FillAsync("Hello, do you offer a free trial?");
        await page.Locator("#pg-send").ClickAsync();
        await Assertions.Expect(page.Locator("#pg-lead a")).ToBeVisibleAsync(new() { Timeout = Slow });
        Assert.NotEqual(leadHref, await page.Locator("#pg-lead a").GetAttributeAsync("href"));
    }

    [Fact]
    public async Task TheCoachAnswersAboutAChosenLeadAsAStream()
    {
        var name = "Coach Lead " + Unique();
        await browser.App.Http.PostJsonAsync("/api/conversations", new { channel = "sms", from = "+4917" + Random.Shared.Next(10000000, 99999999), name, message = "Hi, I'm interested, but honestly it sounds too expensive for us" });
        var page = await browser.SignedInPageAsync("en", "#/coach");
        await page.Locator("#coach-form").WaitForAsync();

        await page.Locator("#coach-search").FillAsync(name);
        await page.Locator("#coach-search-go").ClickAsync();
        var pick = page.Locator("button.coach-pick", new() { HasText = name });
        await Assertions.Expect(page.Locator("button.coach-pick")).ToHaveCountAsync(1);
        await pick.ClickAsync();
        await Assertions.Expect(pick).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("#coach-ask")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#coach-question")).ToHaveValueAsync("How do I convince this lead?");

        await page.Locator("#coach-ask").ClickAsync();

        await Assertions.Expect(page.Locator("#coach-status")).ToHaveTextAsync("The coach has answered.", new() { Timeout = Slow });
        var answer = page.Locator("#coach-answer");
        Assert.True(int.Parse(await answer.GetAttributeAsync("data-tokens") ?? "0") > 1);
        Assert.Contains("price", await answer.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("polite", await answer.GetAttributeAsync("aria-live"));

        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(page);
        await ConsoleBrowserFixture.ScreenshotAsync(page, "coach");
    }

    [Fact]
    public async Task AnFaqCsvUploadedToANewBaseIsFoundByATestSearchWithItsScore()
    {
        var page = await browser.SignedInPageAsync("en", "#/knowledge");
        await page.Locator("#kb-create-form").WaitForAsync();
        var baseName = "Pricing FAQs " + Unique();
        await page.Locator("#kb-name").FillAsync(baseName);
        await page.Locator("#kb-description").FillAsync("Answers about plans and discounts");
        await page.Locator("#kb-create").ClickAsync();
        await Assertions.Expect(page.Locator("#kb-detail-title")).ToHaveTextAsync($"Contents of “{baseName}”");

        var csv = "question,answer\nIs there a partner discount?,\"Partners get 35% off with the code ZEBRA, on every plan.\"\nWhen are you open?,Monday to Friday from 9:00 to 17:00.\n";
        await page.Locator("#kb-upload-kind").SelectOptionAsync("faqs");
        await page.Locator("#kb-upload-file").SetInputFilesAsync(new FilePayload { Name = "faqs.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.Locator("#kb-upload").ClickAsync();

        await Assertions.Expect(page.Locator("#kb-upload-status")).ToHaveTextAsync("2 FAQs imported.", new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("#kb-sources tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#kb-sources")).ToContainTextAsync("Is there a partner discount?");

        await Assertions.Expect(page.Locator("#kb-search-base")).ToHaveValueAsync(new Regex("^kb_"));
        await page.Locator("#kb-query").FillAsync("Do partners get a discount?");
        await page.Locator("#kb-search").ClickAsync();

        var first = page.Locator("#kb-passages li").First;
        await Assertions.Expect(first).ToContainTextAsync("ZEBRA", new() { Timeout = Slow });
        await Assertions.Expect(first.Locator(".kb-score")).ToHaveTextAsync(new Regex(@"^Score \d"));

        // A CSV with an empty answer is refused by row and column, and nothing is imported.
        await page.Locator("#kb-upload-file").SetInputFilesAsync(new FilePayload { Name = "bad.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("question,answer\nDo you ship abroad?,\n") });
        await page.Locator("#kb-upload").ClickAsync();
        await Assertions.Expect(page.Locator("#kb-upload-error")).ToContainTextAsync("CSV row 2, column answer", new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("#kb-sources tr")).ToHaveCountAsync(2);

        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(page);
        await ConsoleBrowserFixture.ScreenshotAsync(page, "knowledge");
    }

    [Theory]
    [InlineData("playground", "en", "Playground")]
    [InlineData("playground", "de", "Testumgebung")]
    [InlineData("coach", "en", "Coach")]
    [InlineData("coach", "de", "Coach")]
    [InlineData("knowledge", "en", "Knowledge")]
    [InlineData("knowledge", "de", "Wissen")]
    public async Task EveryToolPageIsAccessibleInEnglishAndGerman(string name, string lang, string title)
    {
        var page = await browser.SignedInPageAsync(lang, "#/" + name);

        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(title);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(page);
    }
}

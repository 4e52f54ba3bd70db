using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Browser;

/// <summary>The console's shell in chromium: sign-in, language, navigation, error panel, phone width, accessibility.</summary>
[Collection(ConsoleBrowserFixture.Collection)]
public sealed class ConsoleShellTests(ConsoleBrowserFixture browser)
{
    [Fact]
    public async Task SigningInWithTheDemoKeyOpensTheLeadsAndKeepsTheKeyOnlyInSessionStorage()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/signin$"));

        await page.GetByLabel("API key").FillAsync(SalesFlowAppProcess.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/leads$"));
        await page.Locator("#nav").WaitForAsync();
        Assert.Equal(SalesFlowAppProcess.ApiKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('salesflow.apiKey')"));
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('salesflow.apiKey')"));
        Assert.Contains("Demo", await page.Locator(".topbar .who").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AWrongKeyShowsThatTheKeyIsNotValidAndStaysOnTheSignInPage()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/#/signin");

        await page.GetByLabel("API key").FillAsync("sf_not_a_key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var error = page.Locator("#signin-error");
        await Assertions.Expect(error).ToHaveTextAsync("This API key is not valid. Check it and try again.");
        Assert.EndsWith("#/signin", page.Url, StringComparison.Ordinal);
        Assert.Equal("true", await page.GetByLabel("API key").GetAttributeAsync("aria-invalid"));
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('salesflow.apiKey')"));
    }

    [Fact]
    public async Task AnUnreachableAppShowsThatSalesFlowCannotBeReached()
    {
        var page = await browser.NewPageAsync("de");
        await page.GotoAsync("/#/signin");
        await page.RouteAsync("**/api/me", route => route.AbortAsync("connectionrefused"));

        await page.GetByLabel("API-Schlüssel").FillAsync(SalesFlowAppProcess.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();

        await Assertions.Expect(page.Locator("#signin-error")).ToHaveTextAsync("SalesFlow ist nicht erreichbar. Läuft die App? Versuchen Sie es gleich noch einmal.");
    }

    [Fact]
    public async Task SwitchingToGermanTranslatesTheNavigationAndIsRememberedAfterAReload()
    {
        var page = await browser.SignedInPageAsync("en");
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        Assert.Equal(["Leads", "Playground", "Coach", "Knowledge", "Analytics", "Operations", "Settings"], await nav.Locator("ul a").AllInnerTextsAsync());

        await page.GetByLabel("Language").SelectOptionAsync("de");

        var german = page.GetByRole(AriaRole.Navigation, new() { Name = "Hauptmenü" });
        await Assertions.Expect(german.Locator("ul a")).ToHaveTextAsync(["Leads", "Testumgebung", "Coach", "Wissen", "Auswertungen", "Betrieb", "Einstellungen"]);
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AnOpenLeadAddsTheLeadPageToTheNavigationAsTheCurrentPage()
    {
        var page = await browser.SignedInPageAsync("en", "#/leads/lead-1");

        var current = page.Locator("#nav a[aria-current=page]");
        await Assertions.Expect(current).ToHaveTextAsync("Lead");
        Assert.Equal(8, await page.Locator("#nav ul a").CountAsync());
    }

    [Fact]
    public async Task AnUnknownPageShowsTheFriendlyErrorPanelWithAWayBack()
    {
        var page = await browser.SignedInPageAsync("en", "#/nope");

        var panel = page.Locator(".error-panel[role=alert]");
        await Assertions.Expect(panel.Locator("h1")).ToHaveTextAsync("This page could not be shown");
        await Assertions.Expect(panel).ToContainTextAsync("There is no page “nope”.");
        await Assertions.Expect(panel.GetByRole(AriaRole.Link, new() { Name = "Go to the leads" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SigningOutForgetsTheKeyAndReturnsToTheSignInPage()
    {
        var page = await browser.SignedInPageAsync("en");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/signin$"));
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('salesflow.apiKey')"));
        // A hash change within the page (a goto to the same document may wait for a load event that never comes).
        await page.EvaluateAsync("() => { location.hash = '#/settings'; }");
        // Polls the address: the console's redirect back is a same-document change, which a wait for a navigation
        // event could miss (it timed out when the redirect came before the wait began).
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/signin$"));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    public async Task TheSignInPageHasNoAccessibilityViolations(string lang)
    {
        var page = await browser.NewPageAsync(lang);
        await page.GotoAsync("/#/signin");
        await page.Locator("#signin-form").WaitForAsync();

        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(page);
        if (lang == "en")
        {
            await ConsoleBrowserFixture.ScreenshotAsync(page, "signin");
        }
    }

    [Fact]
    public async Task TheShellWorksOnAPhone375PixelsWideWithoutSidewaysScrolling()
    {
        var page = await browser.SignedInPageAsync("en", "#/nope", width: 375, height: 740);

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Settings" })).ToBeInViewportAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 375 px");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.Locator("#signin-form").WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the sign-in page scrolls sideways at 375 px");
        await ConsoleBrowserFixture.AssertNoAxeViolationsAsync(page);
    }

    [Fact]
    public async Task TheConsoleRunsWithoutContentSecurityPolicyViolationsOrUncaughtErrors()
    {
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync("/#/signin");
        await page.GetByLabel("Language").SelectOptionAsync("de");
        await page.GetByLabel("API-Schlüssel").FillAsync(SalesFlowAppProcess.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await page.Locator("#nav").WaitForAsync();

        Assert.Empty(errors);
    }
}

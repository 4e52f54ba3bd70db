using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Browser;

/// <summary>All browser tests share one app process and one browser (starting either takes seconds).</summary>
[CollectionDefinition(ConsoleBrowserFixture.Collection)]
public sealed class ConsoleBrowserCollection : ICollectionFixture<ConsoleBrowserFixture>;

/// <summary>
/// The real SalesFlow app (standalone, as <c>dotnet run</c>, demo client key <see cref="SalesFlowAppProcess.ApiKey"/>)
/// and Debian's chromium driven by Playwright. Playwright never downloads a browser here: it is launched from
/// <see cref="ChromiumPath"/>, which tools/test.sh installs with apt-get.
/// </summary>
public sealed class ConsoleBrowserFixture : IAsyncLifetime
{
    public const string Collection = "Browser";
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;

    public SalesFlowAppProcess App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseUrl => App.BaseUrl;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The browser tests need Debian's chromium at {ChromiumPath}: run tools/test.sh (it installs it) or apt-get install -y chromium.");
        }

        // Playwright's expectations wait 5 s by default; beside the rest of the suite on 2 cores the app answered a search
        // later than that once (the table still showed every lead). A bound on waiting, not a timing assertion.
        Assertions.SetDefaultExpectTimeout(20_000);
        // URLs are checked with Expect(page).ToHaveURLAsync, which polls: WaitForURLAsync waits for a navigation event
        // and once missed the console's hash change after sign-in on the CI machine (30 s timeout on a page at #/leads).
        App = await SalesFlowAppProcess.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>
    /// A fresh page (own context: empty sessionStorage and localStorage) not signed in, whose browser language is
    /// <paramref name="lang"/> ("en" or "de"; the console starts in it), <paramref name="width"/> CSS pixels wide.
    /// </summary>
    public async Task<IPage> NewPageAsync(string lang = "en", int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl.ToString(),
            Locale = lang == "de" ? "de-DE" : "en-US",
            ViewportSize = new() { Width = width, Height = height },
        });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A page signed in as the demo client (its key in sessionStorage, as the sign-in page leaves it), in
    /// <paramref name="lang"/>, showing <paramref name="hash"/> once the shell's navigation is there.
    /// </summary>
    public async Task<IPage> SignedInPageAsync(string lang = "en", string hash = "#/leads", int width = 1280, int height = 800)
    {
        var page = await NewPageAsync(lang, width, height);
        await page.GotoAsync("/#/signin");
        await page.EvaluateAsync("key => sessionStorage.setItem('salesflow.apiKey', key)", SalesFlowAppProcess.ApiKey);
        await page.GotoAsync("/" + hash);
        await page.Locator("#nav").WaitForAsync();
        return page;
    }

    /// <summary>Runs axe-core on the page as it is now; fails listing every violation (rule, impact, elements).</summary>
    public static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help}\n    " + string.Join("\n    ", v.Nodes.Select(n => n.Target + " " + n.Html)));
        Assert.True(result.Violations.Length == 0, $"axe-core violations on {page.Url}:\n" + string.Join("\n", violations));
    }

    /// <summary>Writes docs/screenshots/<paramref name="name"/>.png when SALESFLOW_SCREENSHOTS=1 (the README links them).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SALESFLOW_SCREENSHOTS") != "1")
        {
            return;
        }

        var path = Path.Combine(RepoPaths.Root, "docs", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }
}

using Microsoft.Playwright;
using Rotations.BrowserTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Rotations.BrowserTests.Journeys;

/// <summary>What every page owes a visitor: its look, no browser errors, and a real page for a wrong address.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SiteTests(ServedApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task LoginAndHomePages_LoadTheirStylesheetAndIcon_WithoutBrowserErrors()
    {
        var page = await app.NewPageAsync();
        var problems = new PageProblems(page);

        await page.GotoAsync("/Account/Login");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var loginRules = await StylesheetRuleCountAsync(page);
        await DemoAccounts.SignInAsync(page, DemoAccounts.Hannah);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Hannah", Level = 1 })).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var homeRules = await StylesheetRuleCountAsync(page);

        Assert.True(problems.All.Count == 0, "The pages had problems:\n" + string.Join('\n', problems.All));
        Assert.True(loginRules > 0, "The login page has no rules from /css/site.css: the stylesheet did not load.");
        Assert.True(homeRules > 0, "The home page has no rules from /css/site.css: the stylesheet did not load.");
    }

    [Fact]
    public async Task UnknownAddress_WhenSignedIn_ShowsThePageNotFoundPageInTheLayout()
    {
        var page = await app.NewPageAsync();
        await DemoAccounts.SignInAsync(page, DemoAccounts.Hannah);

        IResponse? response;
        try
        {
            response = await page.GotoAsync("/no-such-page");
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("ERR_HTTP_RESPONSE_CODE_FAILURE", StringComparison.Ordinal))
        {
            // Chromium shows its own error page when a 4xx or 5xx response has no body.
            throw new Xunit.Sdk.XunitException($"/no-such-page answered an error status with an empty body, not the app's Page not found page. {ex.Message}");
        }

        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to the home page" })).ToBeVisibleAsync();
        await new Screenshots("not-found", output).TakeAsync(page, "01-page-not-found");
    }

    /// <summary>How many rules of the layout's own stylesheet reached the page (0 when it did not load).</summary>
    private static Task<int> StylesheetRuleCountAsync(IPage page) =>
        page.EvaluateAsync<int>("""
            () => [...document.styleSheets]
                .filter(s => s.href && new URL(s.href).pathname.startsWith('/css/site'))
                .reduce((n, s) => { try { return n + s.cssRules.length; } catch { return n; } }, 0)
            """);
}

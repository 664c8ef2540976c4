using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotations.BrowserTests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Demo;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Rotations.BrowserTests.Journeys;

/// <summary>The demo HR coordinator signs in, looks at the home page and signs out, as a person would.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInJourneyTests(ServedApp app, ITestOutputHelper output)
{
    private static readonly DemoPerson Hannah = DemoAccounts.Hannah;

    [Fact]
    public async Task HrCoordinator_AfterAWrongPassword_SignsIn_SeesHomeWithHerRole_AndSignsOut()
    {
        var page = await app.NewPageAsync();
        var shots = new Screenshots("sign-in-journey", output);
        output.WriteLine(string.Join(", ", app.Timings));

        // A visitor who is not signed in is sent to the login page, which remembers where they were going.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex(@"/Account/Login\?ReturnUrl=%2F$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Rotations", Level = 1 })).ToBeVisibleAsync();
        await shots.TakeAsync(page, "01-login");

        // A wrong password reads the same as any other refusal, and the email typed is kept.
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(Hannah.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not " + DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(AuthApi.SignInFailed);
        await Expect(page.GetByLabel("Email", new() { Exact = true })).ToHaveValueAsync(Hannah.Email);
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeEmptyAsync();
        await shots.TakeAsync(page, "02-wrong-password");

        // The right password lands her on the home page, greeted by first name, with her HR role.
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(app.BaseUrl + "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Hannah", Level = 1 })).ToBeVisibleAsync();
        var roles = page.GetByRole(AriaRole.Region, new() { Name = "Your roles" });
        await Expect(roles.GetByRole(AriaRole.Listitem)).ToHaveTextAsync([new Regex($"^{Roles.HR}\\s+{Regex.Escape(Roles.Describe(Roles.HR))}$")]);
        await shots.TakeAsync(page, "03-home");

        // The user menu in the header names her and holds the sign-out button.
        var userMenu = page.GetByRole(AriaRole.Banner).Locator("details.user-menu");
        await Expect(userMenu.Locator("summary")).ToContainTextAsync(Hannah.DisplayName);
        await Expect(userMenu).Not.ToHaveAttributeAsync("open", "");
        await userMenu.Locator("summary").ClickAsync();
        await Expect(userMenu).ToHaveAttributeAsync("open", "");
        await Expect(userMenu.GetByText(Hannah.Email)).ToBeVisibleAsync();
        await shots.TakeAsync(page, "04-user-menu");
        var signingOut = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.EndsWith("/Account/Logout", StringComparison.Ordinal));
        await userMenu.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        var signOut = await signingOut;
        Assert.True(signOut.Status == 302, $"Signing out from the user menu answered {signOut.Status}, not a redirect to the login page.");

        // Signed out: the login page says so, and the home page is closed to her again.
        await Expect(page).ToHaveURLAsync(app.BaseUrl + "/Account/Login");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You are signed out.");
        await Expect(page.GetByRole(AriaRole.Banner).GetByText(Hannah.DisplayName)).ToHaveCountAsync(0);
        await shots.TakeAsync(page, "05-signed-out");
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex(@"/Account/Login\?ReturnUrl=%2F$"));
    }

    [Fact]
    public async Task HomePage_OnAPhone_FitsTheScreenWithoutSidewaysScrolling()
    {
        const int width = 390;
        var page = await app.NewPageAsync(width, 844, phone: true);
        var shots = new Screenshots("phone", output);

        await page.GotoAsync("/Account/Login");
        await shots.TakeAsync(page, "01-login");
        await AssertNoSidewaysScrollingAsync(page, width);

        await DemoAccounts.SignInAsync(page, Hannah);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Hannah", Level = 1 })).ToBeVisibleAsync();
        await shots.TakeAsync(page, "02-home");
        await AssertNoSidewaysScrollingAsync(page, width);

        await page.GetByRole(AriaRole.Banner).Locator("details.user-menu > summary").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await shots.TakeAsync(page, "03-user-menu");
        await AssertNoSidewaysScrollingAsync(page, width);
    }

    private static async Task AssertNoSidewaysScrollingAsync(IPage page, int viewportWidth)
    {
        var size = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (size[0], size[1]);
        Assert.True(scrollWidth <= innerWidth && scrollWidth <= viewportWidth,
            $"{page.Url} scrolls sideways on a {viewportWidth}px phone: content is {scrollWidth}px wide, the window {innerWidth}px.");
    }
}

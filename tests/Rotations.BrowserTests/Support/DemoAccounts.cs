using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotations.Web.Features.Demo;
using static Microsoft.Playwright.Assertions;

namespace Rotations.BrowserTests.Support;

/// <summary>The demo people the seed command creates, and signing in as one of them through the login page.</summary>
public static class DemoAccounts
{
    /// <summary>The password the fixture has the seed command give every demo person.</summary>
    public const string Password = "browser-journeys-demo-pass";

    /// <summary>The demo HR coordinator.</summary>
    public static DemoPerson Hannah { get; } = DemoSeeder.People.Single(p => p.Email == "hr@example.com");

    public static async Task SignInAsync(IPage page, DemoPerson person)
    {
        if (!page.Url.Contains("/Account/Login", StringComparison.Ordinal)) await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(person.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/Account/Login"));
    }
}

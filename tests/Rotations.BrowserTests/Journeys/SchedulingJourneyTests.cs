using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotations.BrowserTests.Support;
using Rotations.Web.Features.Demo;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Rotations.BrowserTests.Journeys;

/// <summary>
/// HR opens the board, books a stint, tries an overlapping one and reads the clash message; the leader
/// signs in and finds the stint in "My plan".
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SchedulingJourneyTests(ServedApp app, ITestOutputHelper output)
{
    private static readonly DemoPerson Hannah = DemoAccounts.Hannah;
    private static readonly DemoPerson Lena = DemoSeeder.People.Single(p => p.Email == "leader@example.com");

    [Fact]
    public async Task HrBooksAStint_AnOverlappingOneIsRefusedWithTheClash_AndTheLeaderSeesItInMyPlan()
    {
        var page = await app.NewPageAsync();
        var problems = new PageProblems(page);
        var shots = new Screenshots("scheduling-journey", output);

        // Hannah opens the programme board from the navigation.
        await DemoAccounts.SignInAsync(page, Hannah);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Board" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Programme board", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Add a stint for {Lena.DisplayName}" })).ToBeVisibleAsync();
        await shots.TakeAsync(page, "01-board");

        // She adds a stint for Lena at the contact centre, on weeks that are free for both.
        await page.GetByRole(AriaRole.Link, new() { Name = "+ Add a stint" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add a stint", Level = 1 })).ToBeVisibleAsync();
        var lenaId = await page.Locator("#Input_LeaderId option", new() { HasTextString = Lena.DisplayName }).GetAttributeAsync("value");
        var contactId = await page.Locator("#Input_TourId option", new() { HasTextString = "(CONTACT)" }).GetAttributeAsync("value");
        var start = await FreeMondayAsync(Guid.Parse(lenaId!), Guid.Parse(contactId!));
        var end = start.AddDays(13);
        await page.GetByLabel("Leader", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Value = lenaId });
        await page.GetByLabel("Tour", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Value = contactId });
        await page.GetByLabel("First day").FillAsync(start.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Last day").FillAsync(end.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Objectives").FillAsync("Take twenty calls alongside the agents; note every escalation.");
        await shots.TakeAsync(page, "02-new-stint");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book the stint" }).ClickAsync();

        // The booked stint opens, planned, with what was chosen.
        await Expect(page).ToHaveURLAsync(new Regex(@"/Stints/[0-9a-f-]{36}$"));
        var stintUrl = page.Url;
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Booked: {Lena.DisplayName} at Contact centre (CONTACT)");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Contact centre", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".stint-title .tag")).ToHaveTextAsync("Planned");
        await shots.TakeAsync(page, "03-booked");

        // The board shows it as a bar for Lena, linking back to the stint.
        await page.GotoAsync($"/Board?from={start:yyyy-MM}&to={start.AddMonths(2):yyyy-MM}");
        var bar = page.Locator($"a.bar-link[href='{new Uri(stintUrl).AbsolutePath}']");
        await Expect(bar).ToHaveAttributeAsync("aria-label", new Regex("^Contact centre \\(CONTACT\\), .+, Planned$"));
        await shots.TakeAsync(page, "04-board-with-the-stint");

        // A second stint for Lena that overlaps the first is refused, naming the clash; what she typed stays.
        await page.GotoAsync($"/Stints/New?leaderId={lenaId}");
        await page.GetByLabel("Tour", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Sales (SALES)" });
        await page.GetByLabel("First day").FillAsync(start.AddDays(7).ToString("yyyy-MM-dd"));
        await page.GetByLabel("Last day").FillAsync(start.AddDays(20).ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Book the stint" }).ClickAsync();
        var clash = page.Locator("#clashes");
        await Expect(clash).ToBeVisibleAsync();
        await Expect(clash).ToHaveAttributeAsync("role", "alert");
        await Expect(clash).ToContainTextAsync(
            $"{Lena.DisplayName} already has Contact centre (CONTACT) from {start:yyyy-MM-dd} to {end:yyyy-MM-dd}, " +
            $"which overlaps {start.AddDays(7):yyyy-MM-dd} to {start.AddDays(20):yyyy-MM-dd}.");
        await Expect(page.GetByLabel("First day")).ToHaveValueAsync(start.AddDays(7).ToString("yyyy-MM-dd"));
        await Expect(page.GetByLabel("Last day")).ToHaveValueAsync(start.AddDays(20).ToString("yyyy-MM-dd"));
        await Expect(page.GetByLabel("Tour", new() { Exact = true })).ToHaveValueAsync(
            (await page.Locator("#Input_TourId option", new() { HasTextString = "(SALES)" }).GetAttributeAsync("value"))!);
        await shots.TakeAsync(page, "05-overlap-refused");

        // Lena signs in and finds the stint in her plan, with the way to put it in her calendar.
        var lena = await app.NewPageAsync();
        var lenaProblems = new PageProblems(lena);
        await DemoAccounts.SignInAsync(lena, Lena);
        await lena.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "My plan" }).ClickAsync();
        await Expect(lena.GetByRole(AriaRole.Heading, new() { Name = "My plan", Level = 1 })).ToBeVisibleAsync();
        var row = lena.Locator("tbody tr", new() { Has = lena.Locator($"a[href='{new Uri(stintUrl).AbsolutePath}']") });
        await Expect(row).ToContainTextAsync("Contact centre");
        await Expect(row).ToContainTextAsync("Planned");
        await Expect(lena.GetByRole(AriaRole.Link, new() { Name = "Add my stints to my calendar" })).ToHaveAttributeAsync("href", "/Calendar");
        await shots.TakeAsync(lena, "06-my-plan");

        // From her plan she opens the stint and reads her objectives.
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(lena).ToHaveURLAsync(stintUrl);
        await Expect(lena.GetByRole(AriaRole.Textbox, new() { Name = "Objectives", Exact = true })).ToHaveValueAsync("Take twenty calls alongside the agents; note every escalation.");
        await shots.TakeAsync(lena, "07-stint-for-the-leader");

        // The refused booking answered 409 by design; nothing else went wrong in either browser.
        var unexpected = problems.All.Concat(lenaProblems.All)
            .Where(p => !Regex.IsMatch(p, @"/Stints/New(\?\S*)? answered 409$") && !p.Contains("status of 409", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, "The pages had problems:\n" + string.Join('\n', unexpected));
    }

    [Fact]
    public async Task Board_OnAPhone_ScrollsSidewaysInsideTheBoardOnly()
    {
        const int width = 390;
        var page = await app.NewPageAsync(width, 844, phone: true);
        var shots = new Screenshots("scheduling-phone", output);
        await DemoAccounts.SignInAsync(page, Hannah);

        await page.GotoAsync("/Board");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Programme board", Level = 1 })).ToBeVisibleAsync();
        await shots.TakeAsync(page, "01-board");

        var sizes = await page.EvaluateAsync<int[]>("""
            () => { const b = document.querySelector('.board-wrap');
                    return [document.scrollingElement.scrollWidth, window.innerWidth, b.scrollWidth, b.clientWidth]; }
            """);
        Assert.True(sizes[0] <= sizes[1], $"/Board scrolls sideways on a {width}px phone: the page is {sizes[0]}px wide.");
        Assert.True(sizes[2] > sizes[3], $"The board ({sizes[2]}px of timeline in {sizes[3]}px) should scroll inside itself on a phone.");
        // The leaders' names stay in view while the timeline scrolls under them.
        await page.Locator(".board-wrap").EvaluateAsync("b => b.scrollLeft = 400");
        var nameLeft = await page.Locator("tbody .board__name").First.EvaluateAsync<double>("e => e.getBoundingClientRect().left");
        Assert.InRange(nameLeft, 0, 40);
        await shots.TakeAsync(page, "02-board-scrolled");
    }

    /// <summary>
    /// The first Monday, five weeks or more from today, on which Lena has nothing for two weeks and the
    /// tour has room: other journeys share this database, so the test asks rather than assumes.
    /// </summary>
    private async Task<DateOnly> FreeMondayAsync(Guid leaderId, Guid tourId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = Hannah.Email, password = DemoAccounts.Password });
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(35);
        while (day.DayOfWeek != DayOfWeek.Monday) day = day.AddDays(1);
        for (var week = 0; week < 200; week++, day = day.AddDays(7))
        {
            // Three weeks for the leader: the overlapping attempt reaches a week past the booked stint.
            var range = $"from={day:yyyy-MM-dd}&to={day.AddDays(20):yyyy-MM-dd}";
            var leaderBusy = await CountAsync(http, $"/api/v1/stints?leaderId={leaderId}&{range}");
            var tourTaken = await CountAsync(http, $"/api/v1/stints?tourId={tourId}&from={day:yyyy-MM-dd}&to={day.AddDays(13):yyyy-MM-dd}");
            if (leaderBusy == 0 && tourTaken == 0) return day;
        }
        throw new InvalidOperationException("No free fortnight for the journey in the next 200 weeks.");
    }

    private static async Task<int> CountAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        // Cancelled stints hold no place and no dates.
        return page.GetProperty("items").EnumerateArray().Count(s => s.GetProperty("status").GetString() != "Cancelled");
    }
}

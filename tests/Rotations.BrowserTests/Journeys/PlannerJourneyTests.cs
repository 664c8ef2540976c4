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
/// Hannah (HR) plans the demo cohort over ten weeks, too short for everything its leaders still need: the plan page
/// shows the proposal hatched against what is booked and says, in plain words, why a stint could not be placed. She
/// commits, lands on the board, and finds the proposed stints booked there.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlannerJourneyTests(ServedApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task HrPlansTheCohort_ReadsWhyAStintWasNotPlaced_Commits_AndSeesTheStintsOnTheBoard()
    {
        var page = await app.NewPageAsync();
        var problems = new PageProblems(page);
        var shots = new Screenshots("planner-journey", output);

        // From the board, Hannah opens the planner.
        await DemoAccounts.SignInAsync(page, DemoAccounts.Hannah);
        await page.GotoAsync("/Board");
        await page.GetByRole(AriaRole.Link, new() { Name = "Plan a cohort" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Plan a cohort", Level = 1 })).ToBeVisibleAsync();

        // The demo cohort, from next Monday (the default) over ten weeks only.
        await page.GetByLabel("Cohort", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = DemoSeeder.CohortName });
        var from = DateOnly.ParseExact(await page.GetByLabel("First day", new() { Exact = true }).InputValueAsync(), "yyyy-MM-dd");
        Assert.Equal(DayOfWeek.Monday, from.DayOfWeek);
        await page.GetByLabel("Last day", new() { Exact = true }).FillAsync(from.AddDays(10 * 7 - 1).ToString("yyyy-MM-dd"));
        await shots.TakeAsync(page, "01-plan-a-cohort");
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose a plan" }).ClickAsync();

        // The proposal: hatched bars for what the plan would book, and what it could not place, with the reason.
        await Expect(page).ToHaveURLAsync(new Regex("/Plans/[0-9a-f-]{36}$"));
        var planId = page.Url[^36..];
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Plan for {DemoSeeder.CohortName}", Level = 1 })).ToBeVisibleAsync();
        using var api = await HrApiAsync();
        var plan = await api.GetFromJsonAsync<JsonElement>($"/api/v1/plans/{planId}");
        var unplaced = plan.GetProperty("unplaced").EnumerateArray().ToList();
        Assert.True(unplaced.Count > 0, "ten weeks should be too short for everything the demo cohort needs");
        var first = unplaced[0];
        var unplacedList = page.Locator("#unplaced");
        await Expect(unplacedList.GetByRole(AriaRole.Heading)).ToHaveTextAsync(new Regex(@"^Not placed: \d+ stints?$"));
        var firstItem = unplacedList.Locator("li").First;
        await Expect(firstItem).ToContainTextAsync(first.GetProperty("leaderName").GetString()!);
        await Expect(firstItem).ToContainTextAsync(first.GetProperty("reason").GetString()!);
        await Expect(firstItem).ToContainTextAsync("What would fix it: " + first.GetProperty("fix").GetString());
        var proposed = plan.GetProperty("assignments").EnumerateArray().Where(i => !i.GetProperty("removed").GetBoolean()).ToList();
        Assert.NotEmpty(proposed);
        await Expect(page.Locator("a.plan-bar")).ToHaveCountAsync(proposed.Count);
        await Expect(page.Locator(".legend")).ToContainTextAsync("Proposed by the plan, not booked");
        await shots.TakeAsync(page, "02-proposal-with-unplaced");
        await page.Locator("#unplaced").ScrollIntoViewIfNeededAsync();
        await page.Locator(".plan-board").ScrollIntoViewIfNeededAsync();
        await shots.TakeAsync(page, "03-proposal-timeline");

        // She commits: the board of the cohort, saying how many stints were booked.
        await page.GetByRole(AriaRole.Button, new() { Name = "Commit the plan" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($@"/Board\?cohort=[0-9a-f-]{{36}}&from={from:yyyy-MM}$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Booked {(proposed.Count == 1 ? "1 stint" : $"{proposed.Count} stints")} for {DemoSeeder.CohortName}");

        // Each proposed stint is now a booked bar in its leader's row.
        var committed = await api.GetFromJsonAsync<JsonElement>($"/api/v1/plans/{planId}");
        Assert.Equal("Committed", committed.GetProperty("status").GetString());
        var item = committed.GetProperty("assignments")[0];
        var row = page.GetByRole(AriaRole.Group, new() { Name = $"Stints of {item.GetProperty("leaderName").GetString()}" });
        await Expect(row.Locator($"a.bar-link[href='/Stints/{item.GetProperty("stintId").GetGuid()}']"))
            .ToHaveAttributeAsync("aria-label", new Regex($@"^{Regex.Escape(item.GetProperty("tourName").GetString()!)} \({item.GetProperty("tourCode").GetString()}\), .+, Planned$"));
        foreach (var booked in committed.GetProperty("assignments").EnumerateArray())
            await Expect(page.Locator($"a.bar-link[href='/Stints/{booked.GetProperty("stintId").GetGuid()}']")).ToHaveCountAsync(1);
        await shots.TakeAsync(page, "04-board-with-the-booked-stints");

        // The plan says it is committed now, with links to its stints.
        await page.GotoAsync($"/Plans/{planId}");
        await Expect(page.Locator("#plan-status")).ToHaveTextAsync("Committed");
        await Expect(page.Locator(".plan-items a[href^='/Stints/']")).ToHaveCountAsync(proposed.Count);
        await shots.TakeAsync(page, "05-plan-committed");

        Assert.True(problems.All.Count == 0, "The pages had problems:\n" + string.Join('\n', problems.All));
    }

    private async Task<HttpClient> HrApiAsync()
    {
        var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = DemoAccounts.Hannah.Email, password = DemoAccounts.Password });
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }
}

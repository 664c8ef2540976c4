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
/// A leader's stint ends today. The reminder sweep puts "reflection due" in their inbox; they open the
/// reflection from it, save a draft, come back to it from the stint, and submit. Their manager reads it
/// in the leader's learning log, the host submits feedback, and the glossary shows the new term.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReflectionJourneyTests(ServedApp app, ITestOutputHelper output)
{
    private static readonly DemoPerson Marcus = DemoSeeder.People.Single(p => p.Email == "manager@example.com");
    private static readonly DemoPerson Priya = DemoSeeder.People.Single(p => p.Email == "host@example.com");

    [Fact]
    public async Task TheLeaderReflectsFromTheInbox_TheManagerReadsItInTheLog_TheHostGivesFeedback_AndTheGlossaryGrows()
    {
        var shots = new Screenshots("reflection-journey", output);
        var email = $"rosa.{Guid.NewGuid():N}"[..14] + "@example.com";
        var term = "Callback-" + Guid.NewGuid().ToString("N")[..6];
        var (leaderId, stintId, tourName) = await LeaderWithAStintEndingTodayAsync(email);

        // Hannah sets the send hour to midnight so that today's reminders are due whatever the hour of this
        // run, and runs the sweep from the jobs page instead of waiting for the minute.
        var hr = await app.NewPageAsync();
        var hrProblems = new PageProblems(hr);
        await DemoAccounts.SignInAsync(hr, DemoAccounts.Hannah);
        await hr.GotoAsync("/Reminders/Settings");
        await hr.GetByLabel("Send hour (each person's local time)").SelectOptionAsync("0");
        await hr.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(hr.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");
        await hr.GotoAsync("/Admin/Jobs");
        await hr.Locator("#job-reminder-sweep").GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();

        // Rosa finds the reminder in her inbox and opens the reflection from it.
        var rosa = await app.NewPageAsync();
        var rosaProblems = new PageProblems(rosa);
        await rosa.GotoAsync("/Account/Login");
        await rosa.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await rosa.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoAccounts.Password);
        await rosa.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var item = rosa.Locator(".inbox-item", new() { HasTextString = "Reflection due" });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await rosa.GotoAsync("/Inbox");
        } while (await item.CountAsync() == 0 && DateTime.UtcNow < deadline && await Pause());
        await Expect(item).ToBeVisibleAsync();
        await shots.TakeAsync(rosa, "01-inbox");
        await item.GetByRole(AriaRole.Button, new() { Name = "Write the reflection" }).ClickAsync();
        await Expect(rosa).ToHaveURLAsync(new Regex($"/Stints/{stintId}/Reflection$"));
        await Expect(rosa.GetByRole(AriaRole.Heading, new() { Name = "Your reflection", Level = 1 })).ToBeVisibleAsync();

        // A first draft: the customer's side and one term.
        await rosa.GetByLabel("What did you see and hear from the customer's side?").FillAsync(
            "Customers who call back **twice** about one order give up on the third try.");
        await rosa.Locator("#term-0").FillAsync(term);
        await rosa.Locator("#meaning-0").FillAsync("A promised call back from an agent, logged in the queue.");
        await rosa.Locator("#customer-meaning-0").FillAsync("Whether anyone calls me back at all.");
        await shots.TakeAsync(rosa, "02-draft");
        await rosa.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await Expect(rosa.GetByRole(AriaRole.Status)).ToContainTextAsync("Draft saved");
        await Expect(rosa.Locator("#reflection-status")).ToHaveTextAsync("Draft");

        // Later, from the stint page, she picks it up again and finishes it.
        await rosa.GotoAsync($"/Stints/{stintId}");
        await rosa.GetByRole(AriaRole.Link, new() { Name = "Continue your reflection" }).ClickAsync();
        await Expect(rosa.GetByLabel("What did you see and hear from the customer's side?")).ToHaveValueAsync(
            "Customers who call back **twice** about one order give up on the third try.");
        await rosa.GetByLabel("Processes, tools and KPIs: how does the department really work?").FillAsync(
            "Agents close call-back tickets to hit the daily target, whether or not anyone was reached.");
        var first = rosa.Locator("details.competency-evidence").First;
        if (await first.GetAttributeAsync("open") is null) await first.Locator("summary").ClickAsync();
        await first.GetByLabel("I exercised this on the stint").CheckAsync();
        await first.Locator("textarea").FillAsync("Played three unanswered call-backs to the team lead; she changed the closing rule that week.");
        await rosa.GetByRole(AriaRole.Button, new() { Name = "Submit the reflection" }).ClickAsync();
        await Expect(rosa.GetByRole(AriaRole.Status)).ToContainTextAsync("Submitted on time");
        await Expect(rosa.Locator(".reflection-text strong")).ToHaveTextAsync("twice");
        await shots.TakeAsync(rosa, "03-submitted");

        // Marcus, her manager, reads it in her learning log, reached from her plan.
        var marcus = await app.NewPageAsync();
        var marcusProblems = new PageProblems(marcus);
        await DemoAccounts.SignInAsync(marcus, Marcus);
        await marcus.GotoAsync($"/Leaders/{leaderId}/Plan");
        await marcus.Locator($"a[href='/Leaders/{leaderId}/Log']").First.ClickAsync();
        await Expect(marcus).ToHaveURLAsync(new Regex($"/Leaders/{leaderId}/Log"));
        await Expect(marcus.Locator("main")).ToContainTextAsync("give up on the third try");
        await Expect(marcus.Locator("main")).ToContainTextAsync(term);
        await shots.TakeAsync(marcus, "04-manager-reads-the-log");

        // Priya, the host, gives her feedback from the stint page; she never sees the reflection.
        var priya = await app.NewPageAsync();
        var priyaProblems = new PageProblems(priya);
        await DemoAccounts.SignInAsync(priya, Priya);
        await priya.GotoAsync($"/Stints/{stintId}");
        await Expect(priya.Locator($"a[href='/Stints/{stintId}/Reflection']")).ToHaveCountAsync(0);
        await priya.GetByRole(AriaRole.Link, new() { Name = "Give your feedback" }).ClickAsync();
        foreach (var (rating, value) in new[] { ("Engagement", "4"), ("Curiosity", "4"), ("Collaboration", "3"), ("Impact", "3") })
            await priya.GetByRole(AriaRole.Group, new() { Name = rating }).Locator($"input[value='{value}']").CheckAsync();
        await priya.GetByLabel("What should Rosa Moreno keep doing, and what should they work on?").FillAsync("Rosa found the call-back problem in her first week.");
        await shots.TakeAsync(priya, "05-feedback");
        await priya.GetByRole(AriaRole.Button, new() { Name = "Submit feedback" }).ClickAsync();
        await Expect(priya.GetByRole(AriaRole.Status)).ToContainTextAsync("Feedback submitted");

        // Rosa reads the feedback; the glossary shows her term under the tour, without her name.
        await rosa.GotoAsync($"/Stints/{stintId}/Feedback");
        await Expect(rosa.Locator(".ratings")).ToContainTextAsync("3.5");
        await hr.GotoAsync("/Glossary");
        await hr.GetByRole(AriaRole.Searchbox).First.FillAsync(term);
        await hr.GetByRole(AriaRole.Searchbox).First.PressAsync("Enter");
        await Expect(hr.Locator("main")).ToContainTextAsync(term);
        await Expect(hr.Locator("main")).ToContainTextAsync(tourName);
        await Expect(hr.Locator("main")).ToContainTextAsync("Whether anyone calls me back at all.");
        await Expect(hr.Locator("main")).Not.ToContainTextAsync("Rosa");
        await shots.TakeAsync(hr, "06-glossary");

        var unexpected = hrProblems.All.Concat(rosaProblems.All).Concat(marcusProblems.All).Concat(priyaProblems.All).ToList();
        Assert.True(unexpected.Count == 0, "The pages had problems:\n" + string.Join('\n', unexpected));
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(500);
        return true;
    }

    /// <summary>
    /// Rosa, a new leader reporting to Marcus (London time), with a two-week orientation hosted by Priya that
    /// ends today in London, on the first of Priya's tours with room.
    /// </summary>
    private async Task<(Guid LeaderId, Guid StintId, string TourName)> LeaderWithAStintEndingTodayAsync(string email)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var token = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = DemoAccounts.Hannah.Email, password = DemoAccounts.Password });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var marcus = await http.GetFromJsonAsync<JsonElement>($"/api/v1/people?q={Uri.EscapeDataString(Marcus.Email)}");
        var priya = await http.GetFromJsonAsync<JsonElement>($"/api/v1/people?q={Uri.EscapeDataString(Priya.Email)}");
        var created = await http.PostAsJsonAsync("/api/v1/people", new
        {
            email, displayName = "Rosa Moreno", roles = new[] { "Leader" }, timeZone = "Europe/London",
            managerId = marcus.GetProperty("items")[0].GetProperty("id").GetGuid(), initialPassword = DemoAccounts.Password,
            leader = new { currentLevel = "Manager", targetLevel = "HeadOf" },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var leaderId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var hostId = priya.GetProperty("items")[0].GetProperty("id").GetGuid();

        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, london).DateTime);
        var tours = await http.GetFromJsonAsync<JsonElement>("/api/v1/tours");
        foreach (var code in DemoSeeder.Hosts[Priya.Email])
        {
            var tour = tours.EnumerateArray().Single(t => t.GetProperty("code").GetString() == code);
            var booked = await http.PostAsJsonAsync("/api/v1/stints", new
            {
                leaderId, tourId = tour.GetProperty("id").GetGuid(), hostId, startDate = today.AddDays(-13).ToString("yyyy-MM-dd"),
                endDate = today.ToString("yyyy-MM-dd"), kind = "Orientation",
            });
            if (booked.IsSuccessStatusCode)
                return (leaderId, (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), tour.GetProperty("name").GetString()!);
            output.WriteLine($"{code}: no room ({(int)booked.StatusCode}) {await booked.Content.ReadAsStringAsync()}");
        }
        throw new InvalidOperationException("None of Priya's tours had room for a two-week orientation ending today.");
    }
}

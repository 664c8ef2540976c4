using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotations.BrowserTests.Support;
using Rotations.Web.Features.Demo;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Rotations.BrowserTests.Journeys;

/// <summary>
/// Marcus, a manager, opens his report Lena's readiness from "My reports", reads the gaps, writes a review with a
/// rating for every competency and a decision, is told what is missing, completes it and submits it; Hannah (HR)
/// sees the bench-strength chart count one more leader in that band.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadinessJourneyTests(ServedApp app, ITestOutputHelper output)
{
    private static readonly DemoPerson Marcus = DemoSeeder.People.Single(p => p.Email == "manager@example.com");

    [Fact]
    public async Task TheManagerReadsTheGapsAndSubmitsADecision_AndHrSeesTheBenchChange()
    {
        var shots = new Screenshots("readiness-journey", output);

        // Hannah looks at bench strength first: how many Heads of CX are "Ready in 1–2 years" now.
        var hr = await app.NewPageAsync();
        var hrProblems = new PageProblems(hr);
        await DemoAccounts.SignInAsync(hr, DemoAccounts.Hannah);
        await hr.GotoAsync("/Reports/Bench");
        var cell = hr.Locator("#bench-table tbody tr", new() { Has = hr.GetByRole(AriaRole.Rowheader, new() { Name = "Head of CX" }) })
            .Locator("td[data-band='Ready1To2Years']");
        var before = int.Parse(await cell.InnerTextAsync());
        await Expect(hr.Locator("svg[role=img] title, svg title").First).ToBeAttachedAsync();
        await shots.TakeAsync(hr, "01-bench-before");

        // Marcus opens Lena's readiness from his reports.
        var marcus = await app.NewPageAsync();
        var marcusProblems = new PageProblems(marcus);
        await DemoAccounts.SignInAsync(marcus, Marcus);
        await marcus.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "My reports" }).ClickAsync();
        var lena = marcus.Locator("tr", new() { HasTextString = "Lena Fischer" });
        await lena.GetByRole(AriaRole.Link, new() { Name = "Readiness and reviews" }).ClickAsync();
        await Expect(marcus.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Readiness of Lena Fischer for Head of CX");
        var gaps = marcus.Locator("#gaps li");
        await Expect(gaps.Filter(new() { HasTextString = "Customer insight and storytelling not yet rated, needs 3" })).ToHaveCountAsync(1);
        await shots.TakeAsync(marcus, "02-readiness-gaps");

        // He writes the review: every competency rated, a decision, and at first no rationale.
        await marcus.GetByRole(AriaRole.Button, new() { Name = "Write a review" }).ClickAsync();
        await Expect(marcus).ToHaveURLAsync(new Regex("/Reviews/[0-9a-f-]{36}$"));
        var ratings = marcus.Locator("fieldset.review-rating");
        var count = await ratings.CountAsync();
        Assert.True(count >= 10, $"{count} competencies to rate");
        for (var i = 0; i < count; i++)
            await ratings.Nth(i).GetByLabel("Rating").SelectOptionAsync(new SelectOptionValue { Value = i == 3 ? "2" : "3" });
        await ratings.Nth(0).GetByLabel("Comment (optional)").FillAsync("Her playback of customer emails changed how the team talks about FTR.");
        await marcus.GetByLabel("Ready in 1–2 years").CheckAsync();
        await marcus.GetByRole(AriaRole.Button, new() { Name = "Submit the review" }).ClickAsync();
        await Expect(marcus.Locator("#rationale-error")).ToContainTextAsync("Write the rationale");
        await Expect(ratings.Nth(0).GetByLabel("Rating")).ToHaveValueAsync("3");
        await shots.TakeAsync(marcus, "03-rationale-missing");

        await marcus.GetByLabel("Rationale").FillAsync("Strong customer insight from service; the contact centre tour and two more are needed first.");
        await marcus.GetByRole(AriaRole.Button, new() { Name = "Submit the review" }).ClickAsync();
        await Expect(marcus.GetByRole(AriaRole.Status)).ToContainTextAsync("Submitted: Ready in 1–2 years");
        await Expect(marcus.Locator("#decision strong")).ToHaveTextAsync("Ready in 1–2 years");
        await Expect(gaps.Filter(new() { HasTextString = "not yet rated" })).ToHaveCountAsync(0);
        await shots.TakeAsync(marcus, "04-decision-recorded");

        // Hannah's bench chart counts Lena in that band now.
        await hr.ReloadAsync();
        await Expect(cell).ToHaveTextAsync((before + 1).ToString());
        await shots.TakeAsync(hr, "05-bench-after");

        // The submission without a rationale answered 400 by design; nothing else went wrong in either browser.
        var unexpected = hrProblems.All.Concat(marcusProblems.All)
            .Where(p => !Regex.IsMatch(p, @"/Reviews/[0-9a-f-]{36}\?handler=Submit answered 400$") && !p.Contains("status of 400", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, "The pages had problems:\n" + string.Join('\n', unexpected));
    }
}

using System.Net;
using Microsoft.EntityFrameworkCore;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Scheduling;

/// <summary>A leader's plan and "My plan": their stints in order, and where they stand with every tour.</summary>
public sealed class PlanPagesTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    [Fact]
    public async Task Plan_ListsTheStintsInOrder_AndSaysForEachTourDoneInProgressBookedOrNotYet()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);
        var leader = await app.QuietLeaderAsync("ann");
        var today = app.Today();
        var contact = await app.TourAsync("CONTACT");
        var self = await app.TourAsync("SELF");
        var warehouse = await app.TourAsync("WAREHOUSE");
        var later = await app.BookAsync(leader.Id, warehouse.Id, today.AddDays(60), today.AddDays(73));
        var done = await app.BookAsync(leader.Id, contact.Id, today.AddDays(-40), today.AddDays(-27));
        var now = await app.BookAsync(leader.Id, self.Id, today.AddDays(-3), today.AddDays(10));

        var page = await (await browser.GetAsync($"/Leaders/{leader.Id}/Plan")).ReadHtmlAsync();

        Assert.Equal($"Plan of {leader.DisplayName}", page.QuerySelector("h1")!.Text());
        Assert.Equal([$"/Stints/{done.Id}", $"/Stints/{now.Id}", $"/Stints/{later.Id}"],
            page.QuerySelectorAll("tbody th a").Select(a => a.GetAttribute("href")));
        Assert.Equal(["Completed", "In progress", "Planned"], page.QuerySelectorAll("tbody .tag").Select(t => t.Text()));
        var coverage = page.QuerySelectorAll(".coverage li")
            .ToDictionary(li => li.QuerySelector(".coverage__name")!.Text(), li => li.QuerySelector(".tag")!.Text());
        var open = await app.WithDbAsync(db => db.Tours.CountAsync(t => !t.IsRetired));
        Assert.Equal(open, coverage.Count);
        Assert.Equal("Done", coverage["Contact centre"]);
        Assert.Equal("In progress", coverage["Self service"]);
        Assert.Equal("Booked", coverage["Fulfilment & warehouse"]);
        Assert.Equal("Not yet", coverage["Executive management"]);
        Assert.Contains("all tours are shown", page.GetElementById("coverage-title")!.ParentElement!.Text());
        Assert.NotNull(page.QuerySelector($"a[href='/Stints/New?leaderId={leader.Id}']"));
    }

    [Fact]
    public async Task Plan_ACancelledStintIsListedButCoversNothing()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);
        var leader = await app.QuietLeaderAsync("ann");
        var exec = await app.TourAsync("EXEC");
        var today = app.Today();
        var stint = await app.BookAsync(leader.Id, exec.Id, today.AddDays(30), today.AddDays(30 + 7 * 12 - 1), StintKind.Assignment);
        await app.WithServiceAsync<SchedulingService, Stint>(s => s.CancelAsync(stint.Id, null, "Board changes"));

        var page = await (await browser.GetAsync($"/Leaders/{leader.Id}/Plan")).ReadHtmlAsync();

        Assert.Equal(["Cancelled"], page.QuerySelectorAll("tbody .tag").Select(t => t.Text()));
        Assert.Contains("Board changes", page.QuerySelector("tbody")!.Text());
        var execCard = page.QuerySelectorAll(".coverage li").Single(li => li.QuerySelector(".coverage__name")!.Text() == "Executive management");
        Assert.Equal("Not yet", execCard.QuerySelector(".tag")!.Text());
    }

    [Fact]
    public async Task Plan_OfSomeoneWhoIsNotALeader_IsNotFound()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        var browser = await app.SignInAsync(hr.Email!);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/Leaders/{hr.Id}/Plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/Leaders/{Guid.NewGuid()}/Plan")).StatusCode);
    }

    [Fact]
    public async Task MyPlan_ShowsTheSignedInLeadersOwnPlan_WithTheCalendarLink()
    {
        var leader = await app.LeaderAsync("ann");
        var other = await app.QuietLeaderAsync("bob");
        var tour = await app.NewTourAsync();
        var mine = await app.BookAsync(leader.Id, tour.Id, new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 14));
        var theirs = await app.BookAsync(other.Id, tour.Id, new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 14));
        var browser = await app.SignInAsync(leader.Email!);

        var response = await browser.GetAsync("/MyPlan");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Equal("My plan", page.QuerySelector("h1")!.Text());
        Assert.NotNull(page.QuerySelector($"a[href='/Stints/{mine.Id}']"));
        Assert.Null(page.QuerySelector($"a[href='/Stints/{theirs.Id}']"));
        Assert.Equal("Add my stints to my calendar", page.QuerySelector("main a[href='/Calendar']")!.Text());
        Assert.Equal("Write your objectives", page.QuerySelector($"a[href='/Stints/{mine.Id}#objectives']")!.Text());
        Assert.NotNull(page.QuerySelector("nav a[href='/MyPlan'][aria-current='page']"));
        Assert.Null(page.QuerySelector("a[href^='/Stints/New']"));
    }

    [Fact]
    public async Task MyPlan_IsForLeaders()
    {
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("max.manager"), Roles.Manager);
        var browser = await app.SignInAsync(manager.Email!);

        var response = await browser.GetAsync("/MyPlan");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/AccessDenied", response.RedirectPath());
        var home = await (await browser.GetAsync("/")).ReadHtmlAsync();
        Assert.Null(home.QuerySelector("nav a[href='/MyPlan']"));
        Assert.NotNull(home.QuerySelector("nav a[href='/Board']"));
    }
}

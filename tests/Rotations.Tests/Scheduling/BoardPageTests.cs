using System.Net;
using AngleSharp.Dom;
using Rotations.Tests.Support;
using Rotations.Web.Features.Account;
using Rotations.Web.Features.Scheduling;

namespace Rotations.Tests.Scheduling;

/// <summary>/Board: leaders as rows, stints as bars coloured by tour, filtered by cohort, tour and months.</summary>
public sealed class BoardPageTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private static readonly DateOnly Mar1 = new(2027, 3, 1);

    private async Task<HttpClient> HrBrowserAsync()
    {
        var hr = await app.CreatePersonAsync(TestData.UniqueEmail("hr"), Roles.HR);
        return await app.SignInAsync(hr.Email!);
    }

    private static async Task<IDocument> BoardAsync(HttpClient browser, string query)
    {
        var response = await browser.GetAsync($"/Board?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/Board?{query} answered {(int)response.StatusCode}");
        return await response.ReadHtmlAsync();
    }

    private static List<string> RowNames(IDocument board) =>
        board.QuerySelectorAll("tbody .board__leader").Select(a => a.Text()).ToList();

    private static IElement? Bar(IDocument board, Guid stintId) => board.QuerySelector($"a.bar-link[href='/Stints/{stintId}']");

    [Fact]
    public async Task Board_DrawsABarForEachBookedStint_ColouredByTour_LinkingToIt_AndHidesCancelledOnes()
    {
        var browser = await HrBrowserAsync();
        var cohort = await app.CohortAsync();
        var leader = await app.QuietLeaderAsync("ann");
        await app.JoinCohortAsync(leader.Id, cohort.Id);
        var contact = await app.TourAsync("CONTACT");
        var booked = await app.BookAsync(leader.Id, contact.Id, Mar1, Mar1.AddDays(13));
        var dropped = await app.BookAsync(leader.Id, contact.Id, Mar1.AddDays(28), Mar1.AddDays(41));
        await app.WithServiceAsync<SchedulingService, Stint>(s => s.CancelAsync(dropped.Id, null, "Budget"));

        var board = await BoardAsync(browser, $"cohort={cohort.Id}&from=2027-02&to=2027-06");

        Assert.Equal([leader.DisplayName], RowNames(board));
        var bar = Bar(board, booked.Id);
        Assert.NotNull(bar);
        Assert.Contains(TourPalette.Class("CONTACT"), bar.ClassList);
        Assert.Equal("Contact centre (CONTACT), 1 – 14 Mar 2027, Planned", bar.GetAttribute("aria-label"));
        Assert.Null(Bar(board, dropped.Id));
        Assert.Equal(["Feb 2027", "Mar", "Apr", "May", "Jun"], board.QuerySelectorAll("thead .month-label").Select(t => t.Text()));
        Assert.Contains("Contact centre", board.QuerySelector(".legend")!.Text());

        var withCancelled = await BoardAsync(browser, $"cohort={cohort.Id}&from=2027-02&to=2027-06&cancelled=true");

        Assert.Contains("bar-link--cancelled", Bar(withCancelled, dropped.Id)!.ClassList);
        Assert.NotNull(Bar(withCancelled, booked.Id));
    }

    [Fact]
    public async Task Board_BarsArePlacedByDate_OnTheSameScaleAsTheMonths()
    {
        var browser = await HrBrowserAsync();
        var cohort = await app.CohortAsync();
        var leader = await app.QuietLeaderAsync("ann");
        await app.JoinCohortAsync(leader.Id, cohort.Id);
        var stint = await app.BookAsync(leader.Id, (await app.TourAsync("SALES")).Id, new DateOnly(2027, 4, 1), new DateOnly(2027, 4, 30),
            StintKind.Orientation);

        var board = await BoardAsync(browser, $"cohort={cohort.Id}&from=2027-03&to=2027-05");

        var april = board.QuerySelectorAll("thead rect.month-band")[1];
        var rect = Bar(board, stint.Id)!.QuerySelector("rect")!;
        Assert.Equal(april.GetAttribute("x"), rect.GetAttribute("x"));
        // The bar spans April but for the one-pixel gap that keeps neighbouring bars apart.
        Assert.Equal(double.Parse(april.GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture) - 1,
            double.Parse(rect.GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture), 0.2);
        Assert.Null(board.QuerySelector("[style]"));
    }

    [Fact]
    public async Task Board_FiltersByCohortAndByTour()
    {
        var browser = await HrBrowserAsync();
        var cohort = await app.CohortAsync("Spring");
        var ann = await app.QuietLeaderAsync("ann");
        var bob = await app.QuietLeaderAsync("bob");
        var cat = await app.QuietLeaderAsync("cat");
        await app.JoinCohortAsync(ann.Id, cohort.Id);
        await app.JoinCohortAsync(bob.Id, cohort.Id);
        await app.JoinCohortAsync(cat.Id, (await app.CohortAsync("Autumn")).Id);
        var one = await app.NewTourAsync(capacity: 3);
        var two = await app.NewTourAsync(capacity: 3);
        var annsStint = await app.BookAsync(ann.Id, one.Id, Mar1, Mar1.AddDays(13));
        var bobsStint = await app.BookAsync(bob.Id, two.Id, Mar1, Mar1.AddDays(13));
        var catsStint = await app.BookAsync(cat.Id, one.Id, Mar1, Mar1.AddDays(13));

        var byCohort = await BoardAsync(browser, $"cohort={cohort.Id}&from=2027-03&to=2027-03");
        var byCohortAndTour = await BoardAsync(browser, $"cohort={cohort.Id}&tour={one.Id}&from=2027-03&to=2027-03");
        var byTour = await BoardAsync(browser, $"tour={one.Id}&from=2027-03&to=2027-03");

        Assert.Equal([ann.DisplayName, bob.DisplayName], RowNames(byCohort));
        Assert.NotNull(Bar(byCohort, annsStint.Id));
        Assert.NotNull(Bar(byCohort, bobsStint.Id));
        Assert.Null(Bar(byCohort, catsStint.Id));
        Assert.Equal([ann.DisplayName], RowNames(byCohortAndTour));
        Assert.Null(Bar(byCohortAndTour, bobsStint.Id));
        Assert.Equal([ann.DisplayName, cat.DisplayName], RowNames(byTour));
        Assert.Equal("true", byTour.QuerySelector($"#tour option[value='{one.Id}']")!.HasAttribute("selected").ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task Board_PagesLeadersFiftyAtATime()
    {
        var browser = await HrBrowserAsync();
        var cohort = await app.CohortAsync("Big intake");
        for (var i = 0; i < BoardQueries.PageSize + 3; i++)
            await app.JoinCohortAsync((await app.QuietLeaderAsync($"l{i:00}")).Id, cohort.Id);

        var first = await BoardAsync(browser, $"cohort={cohort.Id}");
        var second = await BoardAsync(browser, $"cohort={cohort.Id}&p=2");

        Assert.Equal(BoardQueries.PageSize, RowNames(first).Count);
        Assert.Equal(3, RowNames(second).Count);
        Assert.Empty(RowNames(first).Intersect(RowNames(second)));
        Assert.Contains($"Leaders 1–50 of {BoardQueries.PageSize + 3}", first.QuerySelector(".pager")!.Text());
        Assert.Contains($"p=2", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
        Assert.Contains($"cohort={cohort.Id}", first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Board_ForHR_OffersToAddAStint_ForEachLeaderToo()
    {
        var browser = await HrBrowserAsync();
        var cohort = await app.CohortAsync();
        var leader = await app.QuietLeaderAsync("ann");
        await app.JoinCohortAsync(leader.Id, cohort.Id);

        var board = await BoardAsync(browser, $"cohort={cohort.Id}");

        Assert.Equal("+ Add a stint", board.QuerySelector("a[href='/Stints/New']")!.Text());
        Assert.NotNull(board.QuerySelector($"a[href='/Stints/New?leaderId={leader.Id}'][aria-label='Add a stint for {leader.DisplayName}']"));
    }

    [Fact]
    public async Task Board_ForAManager_ShowsOnlyTheirReports_WithoutBooking()
    {
        var manager = await app.CreatePersonAsync(TestData.UniqueEmail("max.manager"), Roles.Manager);
        var report = await app.QuietLeaderAsync("ann", managerId: manager.Id);
        await app.QuietLeaderAsync("bob");
        var stint = await app.BookAsync(report.Id, (await app.NewTourAsync()).Id, Mar1, Mar1.AddDays(13));
        var browser = await app.SignInAsync(manager.Email!);

        var board = await BoardAsync(browser, "from=2027-03&to=2027-03");

        Assert.Equal([report.DisplayName], RowNames(board));
        Assert.NotNull(Bar(board, stint.Id));
        Assert.Null(board.QuerySelector("a[href^='/Stints/New']"));
    }

    [Fact]
    public async Task Board_ForALeaderOrAHost_IsNotOpen()
    {
        foreach (var role in new[] { Roles.Leader, Roles.Host })
        {
            var person = await app.CreatePersonAsync(TestData.UniqueEmail(role.ToLowerInvariant()), role);
            var browser = await app.SignInAsync(person.Email!);

            var response = await browser.GetAsync("/Board");

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Account/AccessDenied", response.RedirectPath());
        }
    }

    [Fact]
    public async Task Board_WithTheLastMonthBeforeTheFirst_SaysSoBesideTheField()
    {
        var browser = await HrBrowserAsync();

        var response = await browser.GetAsync("/Board?from=2027-05&to=2027-02");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadHtmlAsync();
        Assert.Equal("The last month (Feb 2027) is before the first (May 2027).", page.QuerySelector("#to-error")!.Text());
        Assert.Equal("2027-02", page.QuerySelector("#to")!.GetAttribute("value"));
    }
}
